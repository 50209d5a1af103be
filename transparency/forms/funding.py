"""Forms of the public-funding and strategy pages. They validate input; writes are done by
`transparency.funding` and `transparency.strategy`."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core import tabular
from core.models import Municipality
from core.money import AmountFormatField
from organizations.models import Organization
from transparency.choices import FundingProcedure, FundingSource, MeasureStatus
from transparency.models import StrategyObjective
from transparency.selectors import funding as funding_selectors
from transparency.selectors.strategy import commentable_organizations
from transparency.services import funding as funding_services
from transparency.services.strategy import COMMENT_MAX_LENGTH

SELECT = {"class": "form-select"}


def _filled(message, **values) -> str:
    """`message % values`, translated when shown (a lazy message `%` values at import time is
    text in the language of whoever imported the module first)."""
    return lazy(lambda: str(message) % values, str)()


class FundingImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_filled(
            _(
                "One grant a row, with the columns: %(columns)s. At most %(rows)s rows. "
                "CSV files must be saved as UTF-8."
            ),
            columns=", ".join(funding_services.IMPORT_COLUMNS),
            rows=f"{funding_services.IMPORT_MAX_ROWS:,}",
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": tabular.ACCEPT,
            }
        ),
    )
    amount_format = AmountFormatField()


def _year_choices(blank_label):
    return [("", blank_label)] + [(str(y), str(y)) for y in funding_selectors.funding_years()]


class FundingDashboardForm(forms.Form):
    """The dashboard's filters, in the URL (GET)."""

    SOURCE_ALL = "all"

    year_from = forms.TypedChoiceField(label=_("From year"), required=False, coerce=int, empty_value=None)
    year_to = forms.TypedChoiceField(label=_("To year"), required=False, coerce=int, empty_value=None)
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All institutions"),
        widget=forms.Select(attrs=SELECT),
    )
    procedure = forms.ChoiceField(
        label=_("Procedure"),
        required=False,
        choices=[("", _("All procedures")), *FundingProcedure.choices],
        widget=forms.Select(attrs=SELECT),
    )
    municipality = forms.ModelChoiceField(
        label=_("Recipient's municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All municipalities"),
        widget=forms.Select(attrs=SELECT),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[
            ("", _("Declared by institutions")),
            (FundingSource.MONITORING, _("Found by monitoring")),
            (SOURCE_ALL, _("Both (may count a grant twice)")),
        ],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year_from"].choices = _year_choices(_("Any year"))
        self.fields["year_to"].choices = _year_choices(_("Any year"))
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update(SELECT)
        self.fields["institution"].queryset = funding_selectors.funding_institutions()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The last year must not be before the first year."))
        return cleaned

    def filters(self) -> funding_selectors.DashboardFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        source = data.get("source") or FundingSource.DECLARED
        return funding_selectors.DashboardFilters(
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            institution=data.get("institution"),
            procedure=data.get("procedure") or "",
            municipality=data.get("municipality"),
            source="" if source == self.SOURCE_ALL else source,
        )


FLAG_CHOICES = [
    ("", _("All recipients")),
    ("any", _("Any flag")),
    *[(key, label) for key, label in funding_selectors.FLAG_LABELS.items()],
]


class ReconciliationForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, widget=forms.Select(attrs=SELECT))
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All institutions"),
        widget=forms.Select(attrs=SELECT),
    )
    flag = forms.ChoiceField(
        label=_("Flag"), required=False, choices=FLAG_CHOICES, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.fields["institution"].queryset = funding_selectors.funding_institutions()


class StrategyFilterForm(forms.Form):
    objective = forms.ModelChoiceField(
        label=_("Objective"),
        queryset=StrategyObjective.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All objectives"),
        widget=forms.Select(attrs=SELECT),
    )
    institution = forms.ModelChoiceField(
        label=_("Responsible institution"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("All institutions"),
        widget=forms.Select(attrs=SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *MeasureStatus.choices],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, **kwargs):
        from transparency.selectors.strategy import responsible_institutions

        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = responsible_institutions()


class MeasureCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_filled(
            _("At most %(max)d characters. Comments appear after moderation."), max=COMMENT_MAX_LENGTH
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Comment on behalf of"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Myself"),
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["organization"].queryset = commentable_organizations(user)
        self.fields["organization"].error_messages["invalid_choice"] = _(
            "You can comment only for an organisation you belong to."
        )


class StrategyReportForm(forms.Form):
    FORMATS = [("pdf", "PDF"), ("xlsx", "XLSX")]

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, widget=forms.Select(attrs=SELECT))
    language = forms.ChoiceField(label=_("Language"), widget=forms.Select(attrs=SELECT))
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, years=(), **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(y), str(y)) for y in years]
        self.fields["language"].choices = [(code, _(name)) for code, name in settings.LANGUAGES]
