"""core.widgets.ListSelect writes exactly what Django's Select writes."""

import pytest
from django import forms

from core.widgets import ListSelect

CHOICES = [
    ("", "All <calls>"),
    (1, "Call & one"),
    ('x"y', "quote"),
    ("Group", [("a", "A"), ("b", "B")]),
]


@pytest.mark.parametrize("value", ["", 1, 'x"y', "a", None, ["1"], "unknown"])
@pytest.mark.parametrize(
    "attrs",
    [
        {"class": "form-select"},
        {"class": "form-select", "required": True, "disabled": False, "aria-describedby": "help<1>"},
    ],
)
def test_same_html_as_djangos_select(value, attrs):
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("call", value, attrs={"id": "id_call"})
    assert ListSelect(attrs=attrs, choices=CHOICES).render("call", value, attrs={"id": "id_call"}) == expected


@pytest.mark.django_db
def test_in_a_bound_form_with_a_model_choice_field():
    from core.models import Municipality

    class Fast(forms.Form):
        municipality = forms.ModelChoiceField(
            Municipality.objects.order_by("slug"), to_field_name="slug", widget=ListSelect
        )

    class Slow(forms.Form):
        municipality = forms.ModelChoiceField(Municipality.objects.order_by("slug"), to_field_name="slug")

    data = {"municipality": Municipality.objects.order_by("slug").last().slug}
    assert str(Fast(data)["municipality"]) == str(Slow(data)["municipality"])
