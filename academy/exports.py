"""The yearly academy report (core.reports): the figures of a year — and of one cohort, when
the staff page was filtered to it — as a PDF (WeasyPrint, core.exports) or an XLSX workbook,
built in the background with progress, for staff."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from academy.selectors import figures
from core import reports

COLUMNS = [
    gettext_lazy("table"),
    gettext_lazy("row"),
    gettext_lazy("participants"),
    gettext_lazy("attendance rate (%)"),
    gettext_lazy("completed"),
    gettext_lazy("completion rate (%)"),
    gettext_lazy("community projects"),
    gettext_lazy("finished projects"),
    gettext_lazy("peers mobilised"),
    gettext_lazy("certificates"),
]


def _numbers(row: dict) -> list:
    return [
        row["participants"],
        row["attendance_rate"],
        row["completed"],
        row["completion_rate"],
        row["projects"],
        row["finished_projects"],
        row["peers_mobilised"],
        row["certificates"],
    ]


def _query(params: dict) -> dict:
    return {
        name: params.get(name) if isinstance(params.get(name), str) else "" for name in ("year", "cohort")
    }


def _refusal(params: dict, fmt: str) -> str:
    """Why the report is not started: a year that is not one, a cohort not in the list (the
    reasons of the staff page's filters)."""
    errors = figures.parse_filters(_query(params))[1]
    return " ".join(str(message) for messages in errors.values() for message in messages)


def _filters(params: dict) -> figures.Filters:
    """The report's year (this year when none is given) and cohort; jobs queued before junk
    was refused (`_refusal`) fall back to this year too."""
    filters, _errors = figures.parse_filters(_query(params))
    return figures.Filters(year=filters.year or timezone.localdate().year, cohort=filters.cohort)


def report_rows(params: dict, user=None):
    data = figures.figures(_filters(params))
    rows = []
    scope = str(data["filters"].year)
    if data["filters"].cohort is not None:
        scope += f" · {data['filters'].cohort.title}"
    rows.append([_("Totals"), scope, *_numbers(data["totals"])])
    rows += [[_("Per cohort"), f"{r['title']} ({r['year']})", *_numbers(r)] for r in data["by_cohort"]]
    for title, key in (
        (_("Participants by gender"), "by_gender"),
        (_("Participants by age group"), "by_age_group"),
        (_("Participants by municipality"), "by_municipality"),
    ):
        rows += [[title, r["label"], r["count"], *[None] * 7] for r in data[key]]
    rows += _training_rows(data["trainings"])
    return len(rows), iter(rows)


def _training_rows(block: dict) -> list[list]:
    """The CSO trainings and the self-assessment change as a section of the report: one
    figure a row, in the third column."""
    pad = [None] * 7
    title = _("CSO capacity trainings")
    rows = [
        [title, _("Trainings held"), block["trainings"], *pad],
        [title, _("Organisations trained"), block["organizations"], *pad],
        [title, _("People registered"), block["registered"], *pad],
        [title, _("People present"), block["attended"], *pad],
        [title, _("Attendance rate (%)"), block["attendance_rate"], *pad],
        [title, _("Feedback answers"), block["feedback_answers"], *pad],
    ]
    title = _("Training feedback (average, 1 to 5)")
    rows += [[title, r["label"], r["average"], *pad] for r in block["feedback"]]
    change = block["assessment"]
    title = _("Self-assessment change per area")
    rows.append([title, _("Organisations with baseline and follow-up"), change["organizations"], *pad])
    if change["hidden"]:
        rows.append([title, _("Hidden: fewer than %(minimum)s organisations") % change, None, *pad])
    for r in change["areas"]:
        rows += [
            [title, f"{r['label']}: {_('baseline')}", r["baseline"], *pad],
            [title, f"{r['label']}: {_('follow-up')}", r["follow_up"], *pad],
            [title, f"{r['label']}: {_('change')}", r["change"], *pad],
        ]
    return rows


reports.register(
    kind="academy.yearly_report",
    title=gettext_lazy("Leadership Academy: yearly report"),
    columns=COLUMNS,
    rows=report_rows,
    formats=("pdf", "xlsx"),
    permission="academy.view_figures",
    params=("year", "cohort"),
    refusal=_refusal,
)
