"""Helpers that moved from organizations into core: they work without any app above core."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import path
from django.utils import translation
from rest_framework.test import APIClient

from core.api.filters import NoBlankParametersForm
from core.api.views import NotFoundView
from core.forms import add_service_errors
from core.pages import HOME, PageContext

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures read reference data

# --- add_service_errors -----------------------------------------------------------------------


class NameForm(forms.Form):
    name = forms.CharField(required=False)


def test_service_errors_go_on_their_fields_and_the_rest_above_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"name": "Taken.", "owner": "Not a member.", "__all__": "Closed."})
    )
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Not a member.", "Closed."]
    form = NameForm({"name": "x"})
    form.is_valid()
    add_service_errors(form, ValidationError("Refused."))
    assert form.non_field_errors() == ["Refused."]


# --- NoBlankParametersForm ------------------------------------------------------------------


class StatusForm(NoBlankParametersForm):
    NON_BLANK = ("status", "absent")
    status = forms.CharField(required=False)
    q = forms.CharField(required=False)


def test_a_constrained_parameter_given_blank_is_an_error():
    assert StatusForm({"q": ""}).is_valid()
    form = StatusForm({"status": "", "q": ""})
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["status"] == ["Leave this parameter out, or give it a value."]
    assert NoBlankParametersForm({"status": ""}).is_valid()  # names nothing: nothing refused


# --- NotFoundView -----------------------------------------------------------------------------

urlpatterns = [path("api/v1/things/<path:rest>/", NotFoundView.as_view())]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_the_catch_all_answers_a_json_404_to_every_method(method):
    response = getattr(APIClient(), method)("/api/v1/things/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# --- core.pages -------------------------------------------------------------------------------


def test_a_page_merges_what_the_apps_registered_in_order():
    page = PageContext("test")
    request = RequestFactory().get("/")
    assert page.context(request) == {}

    def figures(request):
        return {"stats": 1, "latest": []}

    def override(request):
        return {"stats": 2}

    page.register(figures)
    page.register(figures)  # idempotent
    page.register(override)
    assert page.context(request) == {"stats": 2, "latest": []}


def test_organizations_fills_the_home_page():
    assert "organizations.pages.directory_figures" in repr(HOME)
