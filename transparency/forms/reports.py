"""Forms of the transparency report: one per section of the editor. They validate input;
the writes are done by `transparency.services` (which validates again with these forms).

Which fields a section has depends on the form size: the short form (small
organisations) asks for income, spending, the main activities and the board only.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.models import Municipality
from core.money import MoneyField
from transparency.choices import DocumentKind, FormSize
from transparency.models import EXPENDITURE_FIELDS, INCOME_FIELDS, TransparencyReport

MAX_BOARD_ROWS = 40
NEGATIVE = _("Figures cannot be negative.")
WHOLE = _("Enter a whole number.")

SECTION_ORDER = ("income", "spending", "people", "activities", "documents")
SECTION_TITLES = {
    "income": _("Income"),
    "spending": _("Spending"),
    "people": _("People"),
    "activities": _("Activities"),
    "documents": _("Documents"),
}
SECTION_HELP = {
    "income": _("What came in during the year, by source, in EUR. Leave a source empty if you had none."),
    "spending": _("What went out during the year, in EUR."),
    "people": _("Who runs and works for the organisation."),
    "activities": _("What you did and for whom."),
    "documents": _("PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), JPEG or PNG."),
}


def section_fields(section: str, form_size: str) -> list[str]:
    """The report fields one section edits, in the order shown."""
    short = form_size == FormSize.SHORT
    if section == "income":
        return [*INCOME_FIELDS, "total_income_declared"]
    if section == "spending":
        return list(EXPENDITURE_FIELDS)
    if section == "people":
        return [] if short else ["staff_full_time", "staff_part_time", "volunteers", "volunteer_hours"]
    if section == "activities":
        return (
            ["main_activities"] if short else ["main_activities", "beneficiaries_reached", "municipalities"]
        )
    return []


def _money_field(model_field) -> MoneyField:
    return MoneyField(
        label=model_field.verbose_name,
        required=False,
        min_value=Decimal("0"),
        error_messages={"min_value": NEGATIVE},
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
        help_text=model_field.help_text,
    )


def _count_field(model_field) -> forms.IntegerField:
    return forms.IntegerField(
        label=model_field.verbose_name,
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"min_value": NEGATIVE, "invalid": WHOLE},
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": "0", "step": "1", "inputmode": "numeric"}
        ),
    )


class ReportSectionForm(forms.ModelForm):
    """One section of the report. A figure left empty means 0 (the optional total and the
    number of beneficiaries stay empty)."""

    section = ""
    NULLABLE = ("total_income_declared", "beneficiaries_reached")

    class Meta:
        model = TransparencyReport
        fields: list[str] = []

    def __init__(self, *args, form_size: str = FormSize.FULL, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_size = form_size
        self.setup_fields()
        wanted = section_fields(self.section, form_size)
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        for name, f in self.fields.items():
            # Errors of an autosave are swapped into #err-<name> (see report_section.html).
            described = [f"err-{name}"] + ([f"id_{name}_helptext"] if f.help_text else [])
            f.widget.attrs["aria-describedby"] = " ".join(described)

    def setup_fields(self) -> None:
        """Replace the model's form fields where the section needs other ones."""

    def _post_clean(self):
        for name, field in self.fields.items():
            if name in self.NULLABLE or name == "municipalities" or self.cleaned_data.get(name) is not None:
                continue
            if name in self.cleaned_data and not field.widget.value_omitted_from_data(
                self.data, self.files, self.add_prefix(name)
            ):
                self.cleaned_data[name] = 0  # an emptied figure is 0; an omitted one is left as it was
        super()._post_clean()


class IncomeForm(ReportSectionForm):
    section = "income"

    class Meta:
        model = TransparencyReport
        fields = [*INCOME_FIELDS, "total_income_declared"]

    def setup_fields(self):
        for name in list(self.fields):
            self.fields[name] = _money_field(TransparencyReport._meta.get_field(name))


class SpendingForm(ReportSectionForm):
    section = "spending"

    class Meta:
        model = TransparencyReport
        fields = list(EXPENDITURE_FIELDS)

    def setup_fields(self):
        for name in list(self.fields):
            self.fields[name] = _money_field(TransparencyReport._meta.get_field(name))


class PeopleForm(ReportSectionForm):
    """Staff and volunteers (full form) and the board: rows `board_name_N` / `board_role_N`
    (a row without a name is dropped), or `board` as a list of {"name", "role"}."""

    section = "people"

    class Meta:
        model = TransparencyReport
        fields = ["staff_full_time", "staff_part_time", "volunteers", "volunteer_hours"]

    def setup_fields(self):
        for name in list(self.fields):
            self.fields[name] = _count_field(TransparencyReport._meta.get_field(name))
        self.board_errors: dict[int, str] = {}

    def board_rows_from_data(self) -> list[dict] | None:
        """The board as typed (None when the data has no board at all)."""
        data = self.data
        if "board" in data and not hasattr(data, "getlist"):
            return [dict(row) for row in data["board"] or []]
        if not any(key.startswith("board_name_") for key in data):
            return None
        rows = []
        for n in range(MAX_BOARD_ROWS):
            if f"board_name_{n}" not in data:
                continue
            rows.append(
                {
                    "row": n,
                    "name": (data.get(f"board_name_{n}") or "").strip(),
                    "role": (data.get(f"board_role_{n}") or "").strip(),
                }
            )
        return rows

    def clean(self):
        cleaned = super().clean()
        rows = self.board_rows_from_data()
        if rows is None:
            cleaned["board"] = None
            return cleaned
        board = []
        for index, row in enumerate(rows):
            name, role = str(row.get("name") or "").strip(), str(row.get("role") or "").strip()
            n = row.get("row", index)
            if not name and not role:
                continue
            if not name:
                self.board_errors[n] = str(_("Give the name of this board member."))
            elif not role:
                self.board_errors[n] = str(_("Give the role of %(name)s on the board.") % {"name": name})
            elif len(name) > 150 or len(role) > 100:
                self.board_errors[n] = str(_("The name or the role is too long."))
            else:
                board.append({"name": name, "role": role})
        if self.board_errors:  # shown above the board (the board is not a field of the form)
            raise ValidationError(
                [ValidationError(msg, code="board_row") for msg in self.board_errors.values()]
            )
        cleaned["board"] = board
        return cleaned


class ActivitiesForm(ReportSectionForm):
    section = "activities"

    class Meta:
        model = TransparencyReport
        fields = ["main_activities", "beneficiaries_reached", "municipalities"]
        widgets = {"main_activities": forms.Textarea(attrs={"class": "form-control", "rows": 6})}

    def setup_fields(self):
        if "main_activities" in self.fields:
            self.fields["main_activities"].required = False
            self.fields["main_activities"].help_text = _(
                "A few lines: your main activities of the year and what they achieved."
            )
        if "beneficiaries_reached" in self.fields:
            self.fields["beneficiaries_reached"] = _count_field(
                TransparencyReport._meta.get_field("beneficiaries_reached")
            )
        if "municipalities" in self.fields:
            self.fields["municipalities"] = forms.ModelMultipleChoiceField(
                label=_("Municipalities where you worked"),
                queryset=Municipality.objects.order_by("name_sq"),
                required=False,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )


SECTION_FORMS: dict[str, type[ReportSectionForm]] = {
    "income": IncomeForm,
    "spending": SpendingForm,
    "people": PeopleForm,
    "activities": ActivitiesForm,
}


class StartReportForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Document"), choices=DocumentKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png",
            }
        ),
    )


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the organisation"),
        max_length=5000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=_("Say what needs to change before the report can be published."),
    )


class ReportFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        to_field_name="slug",
        empty_label=_("All municipalities"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, str(y)) for y in years)]
