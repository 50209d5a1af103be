"""Forms of the pages after the award. They only parse input: every rule (file types and
sizes, dates, sums, statuses) is checked by `grants.services.awards`, whose errors are put
back on these forms."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from grants.choices import GrantStatus, ReportKind, ReportPeriod
from grants.models import Call
from grants.services.awards import PORTAL_TIME_ZONE, portal_date

# Which day a date is: the portal's (issue 12, item 26).
PORTAL_DATES_HELP = format_lazy(
    _("Dates are days in {zone} time, the portal's time zone."), zone=PORTAL_TIME_ZONE
)
DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class AgreementForm(forms.Form):
    file = forms.FileField(
        label=_("Signed agreement (PDF)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "application/pdf,.pdf"}),
    )
    signed_on = forms.DateField(
        label=_("Signed on"), widget=DATE_INPUT, initial=portal_date, help_text=PORTAL_DATES_HELP
    )
    release_first = forms.BooleanField(
        label=_("Release the first tranche for payment now (when it waits for no report)"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class ReportSubmitForm(forms.Form):
    text = forms.CharField(
        label=_("Report"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
        help_text=_("Write the report here, attach it as a file, or both."),
    )
    file = forms.FileField(
        label=_("File (PDF, DOCX or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx"}),
    )


class ReportReviewForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    action = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return for changes"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment to the grantee"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=_("Required when the report is returned: say what to change."),
    )


class TranchePaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=DATE_INPUT, initial=portal_date, help_text=PORTAL_DATES_HELP
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Closing note (internal)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class TerminateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the termination"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Sent to the grantee."),
    )


class GrantFilterForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Call"),
        queryset=Call.objects.order_by("-opens_at"),
        required=False,
        empty_label=_("All calls"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *GrantStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    overdue = forms.BooleanField(
        label=_("With overdue reports"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    q = forms.CharField(
        label=_("Reference or grantee"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )


# --- rows tables (tranche plan, reporting duties) -------------------------------------------

MAX_TRANCHE_ROWS = 20
MAX_REPORT_ROWS = 20
TRANCHE_FIELDS = ("number", "amount", "planned_on", "condition", "after_report")
REPORT_FIELDS = ("id", "period", "kind", "due_on")


def _rows_from_post(data, prefix: str, fields: tuple[str, ...], limit: int) -> list[dict]:
    """Rows `<prefix>-<i>-<field>` of a posted table, in order; empty rows are skipped."""
    rows = []
    for index in range(limit):
        row = {name: str(data.get(f"{prefix}-{index}-{name}", "") or "").strip() for name in fields}
        if any(value for name, value in row.items() if name not in ("id", "number")):
            rows.append(row)
    return rows


def tranche_rows_from_post(data) -> list[dict]:
    return _rows_from_post(data, "t", TRANCHE_FIELDS, MAX_TRANCHE_ROWS)


def report_rows_from_post(data) -> list[dict]:
    return _rows_from_post(data, "r", REPORT_FIELDS, MAX_REPORT_ROWS)


def tranche_rows_for_table(tranches=None, posted=None, extra: int = 2) -> list[dict]:
    """The rows the plan table shows: what was posted (after an error), else the plan, plus
    empty rows to add tranches."""
    if posted is not None:
        rows = list(posted)
    else:
        rows = [
            {
                "number": str(t.number),
                "amount": f"{t.amount:.2f}",
                "planned_on": t.planned_on.isoformat(),
                "condition": t.condition,
                "after_report": str(t.after_report_id or ""),
            }
            for t in tranches or []
        ]
    target = max(1, min(MAX_TRANCHE_ROWS, len(rows) + extra))
    while len(rows) < target:
        rows.append(dict.fromkeys(TRANCHE_FIELDS, ""))
    return [{**row, "index": index} for index, row in enumerate(rows[:MAX_TRANCHE_ROWS])]


def report_rows_for_table(reports=None, posted=None, extra: int = 2) -> list[dict]:
    if posted is not None:
        rows = list(posted)
    else:
        rows = [
            {
                "id": str(r.pk),
                "period": r.period,
                "kind": r.kind,
                "due_on": r.due_on.isoformat(),
                "locked": r.status not in ("due", "returned"),
            }
            for r in reports or []
        ]
    target = max(1, min(MAX_REPORT_ROWS, len(rows) + extra))
    while len(rows) < target:
        rows.append(dict.fromkeys(REPORT_FIELDS, ""))
    return [{**row, "index": index} for index, row in enumerate(rows[:MAX_REPORT_ROWS])]


PERIOD_CHOICES = ReportPeriod.choices
KIND_CHOICES = ReportKind.choices
