"""Forms and filters of the organisation pages, without HTTP."""

import pytest
from django.utils import translation

from organizations.filters import OrganizationFilter
from organizations.forms import InvitationForm, OrganizationForm
from organizations.models import Organization
from tests import factories
from tests.organizations.helpers import org_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_valid_form_gives_service_data():
    form = OrganizationForm(org_form_data())
    assert form.is_valid(), form.errors
    data, sectors = form.service_data()
    assert "sectors" not in data and "logo" not in data
    assert data["registration_number"] == "7100001"
    assert len(sectors) == 2


def test_registration_number_required_for_cso_only():
    form = OrganizationForm(org_form_data(registration_number="  "))
    assert not form.is_valid()
    assert "registration number" in form.errors["registration_number"][0]
    assert OrganizationForm(org_form_data(kind="company", registration_number="")).is_valid()


def test_duplicate_registration_number_but_not_against_itself():
    org = factories.OrganizationFactory(registration_number="7100001")
    form = OrganizationForm(org_form_data())
    assert not form.is_valid()
    assert form.errors["registration_number"] == [
        "An organisation with this registration number is already registered."
    ]
    assert form.errors.as_data()["registration_number"][0].code == "duplicate"
    assert OrganizationForm(org_form_data(), instance=org).is_valid()


def test_widgets_carry_bootstrap_classes():
    form = OrganizationForm()
    for name in ("name", "registration_number", "description", "email", "website", "logo"):
        assert "form-control" in form.fields[name].widget.attrs["class"]
    for name in ("kind", "municipality"):
        assert form.fields[name].widget.attrs["class"] == "form-select"
    assert "form-select" in InvitationForm().fields["role"].widget.attrs["class"]


def test_website_without_scheme_gets_https():
    form = OrganizationForm(org_form_data(website="zeri.org"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["website"] == "https://zeri.org"


@pytest.mark.parametrize(
    "data,valid",
    [
        ({}, True),
        ({"q": "x", "municipality": "prishtine", "kind": "cso", "verified": "on"}, True),
        ({"municipality": "nope"}, False),
        ({"sector": "nope"}, False),
        ({"kind": "zzz"}, False),
        ({"q": "x" * 101}, False),
    ],
)
def test_filter_validation(data, valid):
    assert OrganizationFilter(data).is_valid() is valid


def test_filter_is_built_on_public_organizations():
    visible = factories.OrganizationFactory()
    factories.OrganizationFactory(is_active=False)
    assert list(OrganizationFilter({}).qs) == [visible]
    assert list(OrganizationFilter({"verified": "on"}).qs) == []
    Organization.objects.filter(pk=visible.pk).update(verification_status="verified")
    assert list(OrganizationFilter({"verified": "on"}).qs) == [visible]
