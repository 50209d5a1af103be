"""Background reports of the public-funding and strategy parts (core.reports), registered
from TransparencyConfig.ready(). Also loads the strategy's Celery task module."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core import reports
from transparency.selectors import funding, strategy


def _query(params: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


# --- Public funding records (what the dashboard sums) ----------------------------------------

FUNDING_PARAMS = ("year_from", "year_to", "institution", "procedure", "municipality", "source")


def funding_record_rows(params: dict, user=None):
    """The records behind the dashboard, with the dashboard's filters. Invalid filters
    match nothing (the page shows none either)."""
    from transparency.forms.funding import FundingDashboardForm

    form = FundingDashboardForm(_query(params))
    qs = funding.funding_records(form.filters()) if form.is_valid() else funding.funding_records().none()
    qs = qs.select_related("institution", "recipient", "recipient__municipality").order_by(
        "-year", "institution__name", "-amount", "pk"
    )
    return qs.count(), (_funding_row(r) for r in qs.iterator(chunk_size=500))


def _funding_row(record) -> list:
    recipient = record.recipient
    return [
        record.year,
        record.institution.name,
        record.recipient_name,
        recipient.name if recipient else "",
        recipient.registration_number if recipient else "",
        recipient.municipality.name if recipient else "",
        record.amount,
        record.programme,
        record.get_procedure_display(),
        record.call_published,
        record.results_published,
        record.recipient_reported,
        record.get_source_display(),
    ]


FUNDING_COLUMNS = [
    gettext_lazy("year"),
    gettext_lazy("granting institution"),
    gettext_lazy("recipient as declared"),
    gettext_lazy("recipient in the registry"),
    gettext_lazy("registration number"),
    gettext_lazy("municipality"),
    gettext_lazy("amount (EUR)"),
    gettext_lazy("programme or call"),
    gettext_lazy("procedure"),
    gettext_lazy("call published"),
    gettext_lazy("results published"),
    gettext_lazy("recipient reported on the funds"),
    gettext_lazy("source"),
]

reports.register(
    kind="transparency.public_funding",
    title=gettext_lazy("Public funding of CSOs"),
    columns=FUNDING_COLUMNS,
    rows=funding_record_rows,
    formats=("csv", "xlsx"),
    permission=None,  # public data: any signed-in person
    params=FUNDING_PARAMS,
)


# --- Reconciliation (staff) -----------------------------------------------------------------


def reconciliation_table(rows) -> list[list]:
    return [
        [
            r.year,
            r.name,
            r.kind_label,
            r.declared,
            r.monitoring,
            r.reported,
            r.institutions,
            "; ".join(r.flag_labels),
        ]
        for r in rows
    ]


RECONCILIATION_COLUMNS = [
    gettext_lazy("year"),
    gettext_lazy("recipient"),
    gettext_lazy("kind"),
    gettext_lazy("declared by institutions (EUR)"),
    gettext_lazy("found by monitoring (EUR)"),
    gettext_lazy("reported by the CSO (EUR)"),
    gettext_lazy("institutions"),
    gettext_lazy("flags"),
]


def reconciliation_rows(params: dict, user=None):
    from transparency.forms.funding import ReconciliationForm

    form = ReconciliationForm(_query(params), years=funding.funding_years())
    if not form.is_valid():
        return 0, iter(())
    rows = funding.reconciliation(
        year=form.cleaned_data["year"],
        institution=form.cleaned_data.get("institution"),
        flag=form.cleaned_data.get("flag") or "",
    )
    return len(rows), iter(reconciliation_table(rows))


reports.register(
    kind="transparency.funding_reconciliation",
    title=gettext_lazy("Public funding reconciliation"),
    columns=RECONCILIATION_COLUMNS,
    rows=reconciliation_rows,
    formats=("csv", "xlsx"),
    permission="transparency.view_funding_reconciliation",
    params=("year", "institution", "flag"),
)


# --- Yearly strategy report -----------------------------------------------------------------


def strategy_report_rows(params: dict, user=None):
    """One row a measure, as it stood at the end of the year (now, for the current year)."""
    try:
        year = int(params.get("year") or timezone.localdate().year)
    except (TypeError, ValueError):
        year = timezone.localdate().year
    measures = strategy.measures_as_of_year(year)
    return len(measures), (_strategy_row(m) for m in measures)


def _strategy_row(measure) -> list:
    return [
        f"{measure.objective.code} {measure.objective.title}",
        measure.code,
        measure.title,
        measure.responsible_institution.name if measure.responsible_institution else "",
        measure.deadline,
        measure.get_status_display(),
        measure.indicator,
        measure.progress_note,
        "\n".join(str(link) for link in (measure.evidence_links or [])),
    ]


reports.register(
    kind="transparency.strategy_report",
    title=gettext_lazy("Strategy for Cooperation with Civil Society: yearly implementation report"),
    columns=[
        gettext_lazy("objective"),
        gettext_lazy("code"),
        gettext_lazy("measure"),
        gettext_lazy("responsible institution"),
        gettext_lazy("deadline"),
        gettext_lazy("status"),
        gettext_lazy("indicator"),
        gettext_lazy("progress"),
        gettext_lazy("evidence links"),
    ],
    rows=strategy_report_rows,
    formats=("pdf", "xlsx"),
    permission=None,  # public data: any signed-in person
    params=("year",),
)
