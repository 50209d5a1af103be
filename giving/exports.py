"""Downloads and reports of the giving tracker.

- "giving.records" (core.reports): the verified records matching GivingFilter's filters as
  CSV/XLSX, built in the background for signed-in users (any selection size). Visitors
  download up to MAX_DIRECT_DOWNLOAD_ROWS records directly from the dashboard.
- The yearly PDF (WeasyPrint) per year and language, with server-drawn SVG bar charts and
  tables, built by a Celery task and cached per data version (GivingYearlyReport).
"""

import logging
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import reports
from core.money import format_money
from core.notifications import enqueue_on_commit
from giving import aggregates
from giving.aggregates_models import GivingYearlyReport
from giving.filters import GivingFilter

logger = logging.getLogger(__name__)

FILTER_PARAMS = (
    "date_from",
    "date_to",
    "year",
    "diaspora",
    "donor_type",
    "cause",
    "recipient_type",
    "support_kind",
    "confidence",
    "geography",
    "municipality",
    "effect",
    "donor_country",
)

RECORD_COLUMNS = [
    gettext_lazy("date"),
    gettext_lazy("amount (EUR)"),
    gettext_lazy("kind of support"),
    gettext_lazy("donor type"),
    gettext_lazy("diaspora"),
    gettext_lazy("donor"),
    gettext_lazy("donor's country of residence"),
    gettext_lazy("diaspora channel"),
    gettext_lazy("recipient type"),
    gettext_lazy("recipient"),
    gettext_lazy("cause"),
    gettext_lazy("beneficiary group"),
    gettext_lazy("where"),
    gettext_lazy("municipality"),
    gettext_lazy("one-off or ongoing"),
    gettext_lazy("effect"),
    gettext_lazy("confidence"),
    gettext_lazy("source"),
    gettext_lazy("source link"),
]

AGGREGATE_COLUMNS = [
    gettext_lazy("table"),
    gettext_lazy("item"),
    gettext_lazy("total (EUR)"),
    gettext_lazy("count"),
    gettext_lazy("average (EUR)"),
    gettext_lazy("share (%)"),
]


def record_row(record) -> list:
    recipient = record.recipient_name or (
        record.recipient_organization.name if record.recipient_organization_id else ""
    )
    return [
        record.date,
        record.amount,
        record.get_support_kind_display(),
        record.get_donor_type_display(),
        record.is_diaspora,
        record.public_donor_name,
        record.donor_country.name if record.donor_country else "",
        record.get_diaspora_channel_display() if record.diaspora_channel else "",
        record.get_recipient_type_display(),
        recipient,
        record.get_cause_display(),
        record.get_beneficiary_group_display(),
        record.get_geography_display(),
        record.municipality.name if record.municipality_id else "",
        record.get_recurrence_display(),
        record.get_effect_display() if record.effect else "",
        record.get_confidence_display(),
        record.get_source_display(),
        record.source_url,
    ]


# The columns of RECORD_COLUMNS as `values_list` fields ("name:" fields are shown by their
# choice's label). No model instances: 50,000 rows are read in about a second.
_VALUE_FIELDS = (
    "date",
    "amount",
    "support_kind",
    "donor_type",
    "is_diaspora",
    "donor_name",
    "donor_name_public",
    "donor_organization__name",
    "donor_country",
    "diaspora_channel",
    "recipient_type",
    "recipient_name",
    "recipient_organization__name",
    "cause",
    "beneficiary_group",
    "geography",
    "municipality__name_sq",
    "municipality__name_sr",
    "municipality__name_en",
    "recurrence",
    "effect",
    "confidence",
    "source",
    "source_url",
)
_LABELLED = (
    "support_kind",
    "donor_type",
    "diaspora_channel",
    "recipient_type",
    "cause",
    "beneficiary_group",
    "geography",
    "recurrence",
    "effect",
    "confidence",
    "source",
)


def record_rows(queryset):
    """The rows of RECORD_COLUMNS for `queryset`, in the active language, the same as
    `record_row` gives for each record, read with `values_list().iterator()` (constant
    memory, no model instances): the direct downloads and the background export."""
    from django_countries import countries

    from giving.choices import PERSONAL_DONOR_TYPES
    from giving.models import GivingRecord

    labels = {
        name: {value: str(label) for value, label in GivingRecord._meta.get_field(name).flatchoices}
        for name in _LABELLED
    }
    language = (translation.get_language() or "sq").lower()
    municipality = 18 if language.startswith("en") else 17 if language.startswith("sr") else 16
    country_names: dict[str, str] = {}
    personal = {str(t) for t in PERSONAL_DONOR_TYPES}

    def country(code) -> str:
        if not code:
            return ""
        if code not in country_names:
            country_names[code] = str(countries.name(code))
        return country_names[code]

    def label(name, value) -> str:
        return labels[name].get(value, value) if value else ""

    for v in queryset.values_list(*_VALUE_FIELDS).iterator(chunk_size=2000):
        donor = "" if v[3] in personal and not v[6] else (v[5] or v[7] or "")
        yield [
            v[0],
            v[1],
            label("support_kind", v[2]),
            label("donor_type", v[3]),
            v[4],
            donor,
            country(v[8]),
            label("diaspora_channel", v[9]),
            label("recipient_type", v[10]),
            v[11] or v[12] or "",
            label("cause", v[13]),
            label("beneficiary_group", v[14]),
            label("geography", v[15]),
            v[municipality] or "",
            label("recurrence", v[19]),
            label("effect", v[20]),
            label("confidence", v[21]),
            label("source", v[22]),
            v[23],
        ]


def aggregate_tables(data: dict) -> list[tuple[str, list[dict]]]:
    """The tables of the dashboard, in its order: (title, rows with label/total/count…)."""
    totals = data["totals"]
    diaspora = data["diaspora"]
    return [
        (
            _("Total"),
            [{"label": _("All matching gifts"), **totals, "share": 100.0 if totals["count"] else 0.0}],
        ),
        (_("By year"), [{"label": str(r["year"]), **r} for r in data["by_year"]]),
        (_("By month"), [{"label": r["month"], **r} for r in data["by_month"]]),
        (_("By donor type"), data["by_donor_type"]),
        (
            _("Diaspora and domestic"),
            [
                {"label": _("Diaspora"), **diaspora["diaspora"]},
                {"label": _("Domestic"), **diaspora["domestic"]},
            ],
        ),
        (_("By cause"), data["by_cause"]),
        (_("By municipality"), data["by_municipality"]),
        (_("By recipient type"), data["by_recipient_type"]),
        (_("By kind of support"), data["by_support_kind"]),
    ]


def aggregate_rows(data: dict):
    for title, rows in aggregate_tables(data):
        for row in rows:
            total = Decimal(row["total"])
            count = row["count"]
            average = row.get("average") or (
                str((total / count).quantize(Decimal("0.01"))) if count else "0.00"
            )
            yield [title, str(row["label"]), total, count, Decimal(average), row.get("share", "")]


def _filter_from_params(params: dict) -> GivingFilter:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return GivingFilter(query)


def _records_report_rows(params: dict, user=None):
    filterset = _filter_from_params(params)
    if not filterset.is_valid():
        return 0, iter(())
    crit = aggregates.Criteria.from_filter(filterset)
    count = aggregates.count(crit)
    return count, record_rows(aggregates.records(crit).order_by("-date", "-pk"))


reports.register(
    kind="giving.records",
    title=gettext_lazy("Giving records"),
    columns=RECORD_COLUMNS,
    rows=_records_report_rows,
    formats=("csv", "xlsx"),
    permission=None,  # public data: anyone, visitors included (fetched by a signed link)
    params=FILTER_PARAMS,
    public=True,
)


# --- Yearly PDF -------------------------------------------------------------------------------


def report_years() -> list[dict]:
    """The years with verified gifts, newest first, with their totals."""
    rows = aggregates.grouped(aggregates.Criteria(), ["year"])
    return [
        {"year": row["year"], "total": Decimal(row["total"]), "count": row["count"]} for row in reversed(rows)
    ]


def yearly_report_request(*, year: int, language: str) -> GivingYearlyReport:
    """The report of `year` in `language` for the current data version: the existing one
    (done, or still being built), else a new one queued for the background task. A failed
    build is retried."""
    version = aggregates.data_version()
    with transaction.atomic():
        try:
            with transaction.atomic():
                report, created = GivingYearlyReport.objects.get_or_create(
                    year=year, language=language, data_version=version
                )
        except IntegrityError:  # two visitors at once: the other one created it
            report, created = (
                GivingYearlyReport.objects.get(year=year, language=language, data_version=version),
                False,
            )
        if not created and report.status == GivingYearlyReport.Status.FAILED:
            GivingYearlyReport.objects.filter(pk=report.pk).update(
                status=GivingYearlyReport.Status.QUEUED, progress=0, error=""
            )
            report.refresh_from_db()
            created = True
        if created:
            enqueue_on_commit("giving.tasks.build_yearly_report", str(report.pk))
    return report


def _progress(pk, value: int) -> None:
    GivingYearlyReport.objects.filter(pk=pk).update(progress=value, updated_at=timezone.now())


def bar_chart_svg(rows: list[tuple[str, Decimal]], *, width: int = 480, bar: int = 16) -> str:
    """A horizontal bar chart as inline SVG (labels escaped), one bar per (label, value)."""
    if not rows:
        return ""
    label_w, value_w, gap = 170, 90, 4
    plot_w = width - label_w - value_w
    top = max((float(v) for _l, v in rows), default=0.0) or 1.0
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="chart">'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = max(1.0, plot_w * float(value) / top) if value else 0
        text = escape(str(label))
        if len(text) > 28:
            text = text[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end" font-size="9">{text}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#1f5fa8"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 4}" font-size="9">{_money(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _money(value) -> str:
    return format_money(value)


def yearly_report_context(year: int) -> dict:
    crit = aggregates.Criteria(start=date(year, 1, 1), end=date(year, 12, 31))
    data = aggregates.dashboard_numbers(crit, top_causes=11)
    months = {r["month"]: r for r in data["by_month"]}
    month_rows = [
        (date(year, m, 1).strftime("%m"), Decimal(months.get(f"{year}-{m:02d}", {"total": "0"})["total"]))
        for m in range(1, 13)
    ]
    charts = {
        "by_month": bar_chart_svg(month_rows),
        "by_donor_type": bar_chart_svg([(r["label"], Decimal(r["total"])) for r in data["by_donor_type"]]),
        "by_cause": bar_chart_svg([(r["label"], Decimal(r["total"])) for r in data["by_cause"]]),
        "by_municipality": bar_chart_svg(
            [(r["label"], Decimal(r["total"])) for r in data["by_municipality"][:15]]
        ),
        "by_recipient_type": bar_chart_svg(
            [(r["label"], Decimal(r["total"])) for r in data["by_recipient_type"]]
        ),
        "by_support_kind": bar_chart_svg(
            [(r["label"], Decimal(r["total"])) for r in data["by_support_kind"]]
        ),
    }
    return {"year": year, "data": data, "charts": charts, "tables": aggregate_tables(data)[1:]}


def build_yearly_pdf(report_id) -> str:
    """Build the PDF of one GivingYearlyReport; only the run that claims it works."""
    from weasyprint import HTML

    claimed = GivingYearlyReport.objects.filter(pk=report_id, status=GivingYearlyReport.Status.QUEUED).update(
        status=GivingYearlyReport.Status.RUNNING, progress=5, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    report = GivingYearlyReport.objects.get(pk=report_id)
    try:
        with translation.override(report.language):
            context = yearly_report_context(report.year)
            _progress(report.pk, 30)
            context.update(
                generated=timezone.localtime(), language=report.language, version=report.data_version
            )
            html = render_to_string("giving/pdf/yearly_report.html", context)
            _progress(report.pk, 50)
            pdf = HTML(string=html).write_pdf()
            _progress(report.pk, 90)
        report.file.save(
            f"giving-{report.year}-{report.language}-v{report.data_version}.pdf", ContentFile(pdf), save=False
        )
    except Exception as exc:
        logger.exception("Yearly giving report %s failed", report_id)
        GivingYearlyReport.objects.filter(pk=report_id).update(
            status=GivingYearlyReport.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        return "failed"
    GivingYearlyReport.objects.filter(pk=report_id).update(
        status=GivingYearlyReport.Status.DONE, progress=100, file=report.file.name, updated_at=timezone.now()
    )
    return "done"
