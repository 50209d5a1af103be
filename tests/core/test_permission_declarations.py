"""core.permissions: the declarations every view carries (permission, staff_page, signed_in,
public), on function and class views, with a loaded object, and their marker."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.test import RequestFactory
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import permissions
from core.models import Municipality
from core.permissions import Declaration, declaration_of, permission, public, signed_in, staff_page
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PERM = "tests.open_municipality"


@rules.predicate
def _allowed(user, municipality):
    return municipality is not None and user.is_authenticated and user.email.startswith("allowed")


@pytest.fixture(autouse=True)
def _test_rule():
    rules.add_perm(PERM, _allowed)
    yield
    rules.remove_perm(PERM)


def load_municipality(request, pk, **kwargs):
    return get_object_or_404(Municipality, pk=pk)


@permission(PERM, load=load_municipality, pass_as="municipality", message="Only for the allowed.")
@require_POST
def municipality_view(request, pk, municipality):
    return HttpResponse(f"{pk}:{municipality.pk}")


@permission(PERM, load=load_municipality, pass_as="municipality", refuse=404)
def hidden_view(request, pk, municipality):
    return HttpResponse("ok")


@signed_in
def member_view(request):
    return HttpResponse("member")


@public
def open_view(request):
    return HttpResponse("open")


@staff_page("core.staff")
def staff_view(request):
    return HttpResponse("staff")


@staff_page(PERM, load=load_municipality, pass_as="municipality", refuse_in_view=True)
def staff_object_view(request, pk, municipality):
    return HttpResponse("staff object")


@permission(PERM, load=load_municipality, pass_as="municipality")
class MunicipalityPage(View):
    def get(self, request, pk, municipality):
        return HttpResponse(f"class {municipality.pk}")


def _request(user, method="get", path="/sq/somewhere/?a=1"):
    request = getattr(RequestFactory(), method)(path)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


@pytest.fixture
def municipality():
    return Municipality.objects.first()


@pytest.fixture
def allowed():
    return UserFactory(email="allowed@example.org")


@pytest.fixture
def other():
    return UserFactory(email="other@example.org")


def test_anonymous_visitors_go_to_the_login_page_coming_back_here(municipality):
    response = municipality_view(_request(AnonymousUser(), "post"), pk=municipality.pk)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=/sq/somewhere/%3Fa%3D1" in response["Location"]


def test_anonymous_visitors_are_sent_to_log_in_even_for_a_missing_object():
    response = municipality_view(_request(AnonymousUser(), "post"), pk=999999)
    assert response.status_code == 302


def test_signed_in_without_the_permission_is_refused_with_the_reason(municipality, other):
    with pytest.raises(PermissionDenied) as refused:
        municipality_view(_request(other, "post"), pk=municipality.pk)
    assert str(refused.value) == "Only for the allowed."


def test_with_the_permission_the_view_gets_the_loaded_object(municipality, allowed):
    response = municipality_view(_request(allowed, "post"), pk=municipality.pk)
    assert response.status_code == 200
    assert response.content.decode() == f"{municipality.pk}:{municipality.pk}"


def test_the_decorators_below_still_run(municipality, allowed):
    assert municipality_view(_request(allowed, "get"), pk=municipality.pk).status_code == 405


def test_a_missing_object_is_a_404(allowed):
    with pytest.raises(Http404):
        municipality_view(_request(allowed, "post"), pk=999999)


def test_a_loader_returning_none_is_a_404(allowed):
    @permission(PERM, load=lambda request, **kwargs: None)
    def view(request, pk, obj):
        raise AssertionError("not reached")

    with pytest.raises(Http404):
        view(_request(allowed), pk=1)


def test_refuse_404_hides_what_exists(municipality, other, allowed):
    with pytest.raises(Http404):
        hidden_view(_request(other), pk=municipality.pk)
    assert hidden_view(_request(allowed), pk=municipality.pk).status_code == 200


def test_without_a_message_the_refusal_is_the_translated_default(municipality, other):
    @permission(PERM, load=load_municipality)
    def view(request, pk, obj):
        raise AssertionError("not reached")

    with pytest.raises(PermissionDenied) as refused:
        view(_request(other), pk=municipality.pk)
    assert str(refused.value) == str(permissions.DENIED)


def test_login_false_lets_anonymous_visitors_reach_the_rule(municipality):
    @permission("giving.report_gift", login=False)
    def view(request):
        return HttpResponse("ok")

    assert view(_request(AnonymousUser())).status_code == 200


def test_signed_in_needs_only_an_account(other):
    assert member_view(_request(other)).content == b"member"
    assert member_view(_request(AnonymousUser())).status_code == 302
    assert declaration_of(member_view).perm == "core.signed_in"


def test_public_checks_nothing_and_keeps_the_view():
    assert open_view(_request(AnonymousUser())).content == b"open"
    assert declaration_of(open_view).is_public


def test_staff_pages_refuse_non_staff_before_looking_anything_up(other):
    with pytest.raises(PermissionDenied):
        staff_view(_request(other))
    assert staff_view(_request(AnonymousUser())).status_code == 302


def test_staff_pages_ask_staff_for_the_second_factor(monkeypatch):
    staff = StaffFactory()
    monkeypatch.setattr(permissions, "_second_factor_check", lambda request: redirect("/mfa/"))
    response = staff_view(_request(staff))
    assert (response.status_code, response["Location"]) == (302, "/mfa/")
    monkeypatch.setattr(permissions, "_second_factor_check", lambda request: None)
    assert staff_view(_request(staff)).content == b"staff"


def test_accounts_registers_its_second_factor_check():
    from accounts import middleware

    assert permissions._second_factor_check is middleware.staff_page_second_factor


def test_refuse_in_view_staff_pages_answer_404_then_403_to_non_staff(municipality, other):
    with pytest.raises(Http404):
        staff_object_view(_request(other), pk=999999)
    with pytest.raises(PermissionDenied):
        staff_object_view(_request(other), pk=municipality.pk)


def test_class_views_are_declared_and_checked(municipality, allowed, other):
    view = MunicipalityPage.as_view()
    assert declaration_of(view).perm == PERM
    assert view(_request(allowed), pk=municipality.pk).content == f"class {municipality.pk}".encode()
    with pytest.raises(PermissionDenied):
        view(_request(other), pk=municipality.pk)
    assert view(_request(AnonymousUser()), pk=municipality.pk).status_code == 302


def test_the_marker_survives_decorators_applied_on_top():
    wrapped = never_cache(require_POST(member_view))
    assert isinstance(declaration_of(wrapped), Declaration)
    assert declaration_of(wrapped) is declaration_of(member_view)


def test_a_view_without_a_declaration_has_no_marker():
    def bare(request):
        return HttpResponse()

    assert declaration_of(bare) is None
    assert declaration_of(never_cache(bare)) is None


def test_refuse_must_be_403_or_404():
    with pytest.raises(ValueError):
        permission(PERM, refuse=401)


def test_a_view_that_does_not_take_the_loaded_object_is_refused_at_import():
    with pytest.raises(TypeError, match="'municipality'"):

        @permission(PERM, load=load_municipality, pass_as="municipality")
        def view(request, pk):
            return HttpResponse()
