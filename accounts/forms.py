from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def signup(self, request, user):
        user.full_name = self.cleaned_data.get("full_name", "")
        user.save(update_fields=["full_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_language", "municipality", "country_of_residence"]
        widgets = {
            "full_name": forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
            "preferred_language": forms.Select(attrs={"class": "form-select"}),
            "municipality": forms.Select(attrs={"class": "form-select"}),
            "country_of_residence": forms.Select(attrs={"class": "form-select"}),
        }
        help_texts = {
            "municipality": _("Where you live or work in Kosovo."),
        }
