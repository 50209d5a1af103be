"""Forms of the organisation pages. They validate input; the writes are done by services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Sector
from organizations.models import Membership, Organization

LOGO_ACCEPT = "image/png,image/jpeg,image/webp,image/gif"


class OrganizationForm(forms.ModelForm):
    """Register an organisation or edit its public profile."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Choose the fields your organisation works in."),
    )

    website = forms.URLField(
        label=_("Website"),
        max_length=200,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://"}),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "registration_number",
            "municipality",
            "sectors",
            "description",
            "email",
            "phone",
            "website",
            "address",
            "founded_year",
            "logo",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control", "autocomplete": "organization"}),
            "kind": forms.Select(attrs={"class": "form-select"}),
            "registration_number": forms.TextInput(attrs={"class": "form-control"}),
            "municipality": forms.Select(attrs={"class": "form-select"}),
            "description": forms.Textarea(attrs={"class": "form-control", "rows": 6}),
            "email": forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"class": "form-control", "type": "tel", "autocomplete": "tel"}),
            "address": forms.TextInput(attrs={"class": "form-control", "autocomplete": "street-address"}),
            "founded_year": forms.NumberInput(attrs={"class": "form-control", "min": 1900, "step": 1}),
            "logo": forms.ClearableFileInput(attrs={"class": "form-control", "accept": LOGO_ACCEPT}),
        }

    def clean_registration_number(self):
        number = (self.cleaned_data.get("registration_number") or "").strip()
        if (
            number
            and Organization.objects.filter(registration_number__iexact=number)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            raise ValidationError(
                _("An organisation with this registration number is already registered."),
                code="duplicate",
            )
        return number

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1900 <= year <= timezone.localdate().year:
            raise ValidationError(
                _("Enter a year between 1900 and %(year)s.") % {"year": timezone.localdate().year},
                code="invalid_year",
            )
        return year

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Organization.Kind.REGISTERED_CSO
            and "registration_number" not in self.errors
            and not cleaned.get("registration_number")
        ):
            self.add_error(
                "registration_number",
                ValidationError(
                    _("A registered CSO needs its registration number (the number in the NGO registry)."),
                    code="required_for_cso",
                ),
            )
        return cleaned

    def service_data(self) -> tuple[dict, list]:
        """The cleaned values as the services take them: (fields, sectors)."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "sectors"}
        logo = data.pop("logo", None)
        if logo is False:  # "clear" ticked on the current logo
            data["logo"] = ""
        elif logo and not getattr(logo, "_committed", False):  # a new upload
            data["logo"] = logo
        return data, list(self.cleaned_data.get("sectors") or [])


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.EDITOR,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Owners manage members and API tokens; editors edit the profile; viewers only see it."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")  # shares a page with the profile form
        super().__init__(*args, **kwargs)
