"""Forms of the giving pages: the record form for staff and CSO editors, the short public
"report a gift" form, moderation input and the moderation queue's filter. They validate
input; the writes are done by giving.services."""

from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.money import MoneyField, format_money
from core.permissions import has_staff_powers
from giving.choices import (
    DIASPORA_DONOR_TYPES,
    BeneficiaryGroup,
    Confidence,
    DonorType,
    Geography,
    Source,
    Status,
)
from giving.models import MAX_AMOUNT, GivingRecord, validate_gift_date
from giving.services.records import EDITABLE_FIELDS, REJECT, VERIFY
from organizations.models import Organization
from organizations.selectors import organizations_editable_by

# Sources staff may give a record they enter (the others belong to other paths).
STAFF_SOURCES = [(s.value, s.label) for s in (Source.STAFF, Source.MEDIA, Source.PARTNER)]

_text = {"class": "form-control"}
_select = {"class": "form-select"}


def _active_organizations():
    return Organization.objects.filter(is_active=True).only("pk", "name").order_by("name")


class _RecordRulesMixin:
    """The checks every form of a record shares (the services check the model rules too)."""

    def clean_date(self):
        date = self.cleaned_data.get("date")
        validate_gift_date(date)  # the model's rule, said next to the field
        return date

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and not (Decimal("0") < amount <= MAX_AMOUNT):
            raise ValidationError(
                _("Enter an amount above 0 and at most %(max)s.") % {"max": format_money(MAX_AMOUNT)},
                code="amount_range",
            )
        return amount

    def clean_donor_and_place(self, cleaned: dict) -> None:
        donor_type = cleaned.get("donor_type")
        if donor_type in DIASPORA_DONOR_TYPES:
            if "donor_country" in self.fields and not cleaned.get("donor_country"):
                self.add_error(
                    "donor_country",
                    ValidationError(
                        _("For a diaspora donor, choose the country where the donor lives."),
                        code="country_required",
                    ),
                )
        elif donor_type:
            # Not a diaspora gift: the diaspora fields do not apply (they may be hidden).
            cleaned["donor_country"] = ""
            cleaned["diaspora_channel"] = ""
        if donor_type == DonorType.ANONYMOUS:
            cleaned["donor_name"] = ""
            cleaned["donor_name_public"] = False
        geography = cleaned.get("geography")
        if geography == Geography.MUNICIPALITY:
            if not cleaned.get("municipality") and "municipality" not in self.errors:
                self.add_error(
                    "municipality",
                    ValidationError(
                        _("Choose the municipality, or say the gift was Kosovo-wide or outside Kosovo."),
                        code="municipality_required",
                    ),
                )
        elif geography:
            cleaned["municipality"] = None


class GivingRecordForm(_RecordRulesMixin, forms.ModelForm):
    """Add or edit a record. Staff choose the source (staff, media, partner) and may
    verify at once; a CSO editor enters for one of their organisations (source cso_self)."""

    entered_for = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.Select(attrs=_select),
        help_text=_("The organisation whose record this is."),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=STAFF_SOURCES,
        initial=Source.STAFF,
        required=False,  # staff entry when not said
        widget=forms.Select(attrs=_select),
    )
    source_url = forms.URLField(
        label=_("Source link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={**_text, "placeholder": "https://"}),
    )
    verify_now = forms.BooleanField(
        label=_("Verify now"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Publish the record at once instead of leaving it in the moderation queue."),
    )

    class Meta:
        model = GivingRecord
        fields = [name for name in EDITABLE_FIELDS if name != "source_url"]  # declared above
        field_classes = {"amount": MoneyField}
        widgets = {
            "date": forms.DateInput(attrs={**_text, "type": "date"}, format="%Y-%m-%d"),
            "amount": forms.TextInput(attrs={**_text, "inputmode": "decimal"}),
            "support_kind": forms.Select(attrs=_select),
            "donor_type": forms.Select(attrs=_select),
            "donor_name": forms.TextInput(attrs=_text),
            "donor_name_public": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "donor_organization": forms.Select(attrs=_select),
            "donor_country": forms.Select(attrs=_select),
            "diaspora_channel": forms.Select(attrs=_select),
            "recipient_type": forms.Select(attrs=_select),
            "recipient_name": forms.TextInput(attrs=_text),
            "recipient_organization": forms.Select(attrs=_select),
            "cause": forms.Select(attrs=_select),
            "beneficiary_group": forms.Select(attrs=_select),
            "geography": forms.Select(attrs=_select),
            "municipality": forms.Select(attrs=_select),
            "recurrence": forms.Select(attrs=_select),
            "effect": forms.Select(attrs=_select),
            "description": forms.Textarea(attrs={**_text, "rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.is_staff_entry = has_staff_powers(user)
        editing = self.instance.pk is not None
        for name in ("donor_organization", "recipient_organization"):
            self.fields[name].queryset = _active_organizations()
        if editing:
            # Who entered it, for whom, and its moderation do not change by editing.
            del self.fields["entered_for"]
            del self.fields["verify_now"]
            if self.is_staff_entry and self.instance.source in dict(STAFF_SOURCES):
                self.fields["source"].initial = self.instance.source
            else:
                del self.fields["source"]
        elif self.is_staff_entry:
            self.fields["entered_for"].queryset = _active_organizations()
        else:
            self.fields["entered_for"].queryset = organizations_editable_by(user=user).order_by("name")
            self.fields["entered_for"].required = True
            self.fields["entered_for"].empty_label = None
            del self.fields["source"]
            del self.fields["verify_now"]

    @property
    def record_source(self) -> str | None:
        if "source" in self.fields:
            return self.cleaned_data.get("source") or (
                self.instance.source if self.instance.pk else Source.STAFF
            )
        return None if self.instance.pk else Source.CSO_SELF

    def clean(self):
        cleaned = super().clean()
        self.clean_donor_and_place(cleaned)
        source = cleaned.get("source") or (self.instance.source if self.instance.pk else None)
        if source == Source.MEDIA and not cleaned.get("source_url") and "source_url" not in self.errors:
            self.add_error(
                "source_url",
                ValidationError(_("A media report needs the link to the news item."), code="url_required"),
            )
        return cleaned

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}


class PublicReportForm(_RecordRulesMixin, forms.Form):
    """ "Report a gift you saw": short, for anyone. Saved as `reported` (source public)."""

    support_kind = forms.ChoiceField(
        label=_("What was given"),
        choices=GivingRecord._meta.get_field("support_kind").choices,
        widget=forms.Select(attrs=_select),
    )
    amount = MoneyField(
        label=_("Amount or estimated value (EUR)"),
        widget=forms.TextInput(attrs={**_text, "inputmode": "decimal"}),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={**_text, "type": "date"}))
    donor_type = forms.ChoiceField(
        label=_("Who gave"), choices=DonorType.choices, widget=forms.Select(attrs=_select)
    )
    donor_name = forms.CharField(
        label=_("Name of the donor (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_text),
    )
    donor_name_public = forms.BooleanField(
        label=_("The donor has made their name public (e.g. in the news)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    donor_country = GivingRecord._meta.get_field("donor_country").formfield(
        label=_("Country where the donor lives"), required=False, widget=forms.Select(attrs=_select)
    )
    recipient_type = forms.ChoiceField(
        label=_("Who received"),
        choices=GivingRecord._meta.get_field("recipient_type").choices,
        widget=forms.Select(attrs=_select),
    )
    recipient_name = forms.CharField(
        label=_("Name of the recipient (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_text),
    )
    geography = forms.ChoiceField(
        label=_("Where"),
        choices=Geography.choices,
        initial=Geography.MUNICIPALITY,
        widget=forms.Select(attrs=_select),
    )
    municipality = GivingRecord._meta.get_field("municipality").formfield(
        required=False, widget=forms.Select(attrs=_select)
    )
    cause = forms.ChoiceField(
        label=_("Cause"),
        choices=GivingRecord._meta.get_field("cause").choices,
        widget=forms.Select(attrs=_select),
    )
    source_url = forms.URLField(
        label=_("Link to a news item"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={**_text, "placeholder": "https://"}),
    )
    reporter_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={**_text, "autocomplete": "email"}),
        help_text=_("Only KCSF staff see it, to ask you about the gift if needed."),
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        cleaned = super().clean()
        self.clean_donor_and_place(cleaned)
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def service_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "support_kind",
                "amount",
                "date",
                "donor_type",
                "donor_name",
                "donor_name_public",
                "donor_country",
                "recipient_type",
                "recipient_name",
                "geography",
                "municipality",
                "cause",
                "source_url",
            )
        }
        data["beneficiary_group"] = BeneficiaryGroup.GENERAL
        return data


class ConfirmForm(forms.Form):
    side = forms.ChoiceField(choices=[("recipient", _("Recipient")), ("donor", _("Donor"))])


class ModerateForm(forms.Form):
    """One moderation action on one record (verify / reject / reopen)."""

    action = forms.ChoiceField(
        choices=[("verify", _("Verify")), ("reject", _("Reject")), ("reopen", _("Reopen"))]
    )
    reason = forms.CharField(
        label=_("Reason for rejection"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**_text, "rows": 2}),
    )


class BulkModerationForm(forms.Form):
    """The action of the moderation queue; the chosen ids come as `ids` (checked by the
    service: unknown ids or records not `reported` are skipped)."""

    action = forms.ChoiceField(label=_("Action"), choices=[(VERIFY, _("Verify")), (REJECT, _("Reject"))])
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == REJECT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", ValidationError(_("Give a reason for the rejection."), code="required"))
        return cleaned


class ModerationFilter(django_filters.FilterSet):
    """Filters of the staff moderation queue (all records, by default the `reported`)."""

    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        label=_("Status"),
        empty_label=_("Any status"),
        widget=forms.Select(attrs=_select),
    )
    source = django_filters.ChoiceFilter(
        choices=Source.choices,
        label=_("Source"),
        empty_label=_("Any source"),
        widget=forms.Select(attrs=_select),
    )
    confidence = django_filters.ChoiceFilter(
        choices=Confidence.choices,
        label=_("Confidence"),
        empty_label=_("Any confidence"),
        widget=forms.Select(attrs=_select),
    )
    duplicates = django_filters.BooleanFilter(
        label=_("Possible duplicates only"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        method="filter_duplicates",
    )
    entered_for = django_filters.ModelChoiceFilter(
        queryset=_active_organizations(),
        label=_("Entered on behalf of"),
        empty_label=_("Any organisation"),
        widget=forms.Select(attrs=_select),
    )

    class Meta:
        model = GivingRecord
        fields: list[str] = []

    def filter_duplicates(self, queryset, name, value):
        return queryset.filter(possible_duplicate_of__isnull=False) if value else queryset
