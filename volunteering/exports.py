"""Background reports of volunteering (core.reports), registered from VolunteeringConfig.ready()."""

from django.utils.translation import gettext_lazy

from core import reports


def figure_rows(params: dict, user=None):
    from volunteering.selectors import figures

    rows = list(figures.breakdown_rows())
    return len(rows), iter(rows)


reports.register(
    kind="volunteering.figures",
    title=gettext_lazy("Volunteering in figures"),
    columns=[gettext_lazy("breakdown"), gettext_lazy("group"), gettext_lazy("value")],
    rows=figure_rows,
    formats=("csv", "xlsx"),
    permission="volunteering.view_figures",
)
