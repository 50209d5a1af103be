from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.choices import Category


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the answers"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *Category.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
