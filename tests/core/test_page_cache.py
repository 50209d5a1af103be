"""Whole public pages for anonymous visitors (core.page_cache; issue 18).

A change to a giving record, a call, an organisation or a transparency report shows at the
next anonymous request in every language; a cached page holds no CSRF token and nothing of
anyone who was signed in; signed-in people never get a visitor's copy; a page that would hold
a token is not kept; Redis down means pages are built every time."""

import socket
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core import page_cache
from core.cache import FailSoftRedisCache
from core.page_cache import HEADER, anonymous_cache, query_key
from giving import aggregates
from organizations.models import Organization
from tests.factories import OrganizationFactory, UserFactory
from tests.giving.factories import GivingRecordFactory
from tests.grants.factories import CallFactory
from tests.transparency.factories import TransparencyReportFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("sq", "sr-latn", "en")
TOKEN_MARKERS = ("csrfmiddlewaretoken", "X-CSRFToken", "csrftoken")


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def public_pages(organization, call, report) -> list[str]:
    pages = []
    for language in LANGUAGES:
        pages += [
            url("home", language),
            url("organizations:directory", language),
            url("organizations:detail", language, slug=organization.slug),
            url("grants:call_list", language),
            url("grants:call_detail", language, slug=call.slug),
            url("grants:awarded_list", language),
            url("giving:dashboard", language),
            url("giving:dashboard", language) + "?cause=health",
            url("giving:yearly_report", language),
            url("transparency:report_list", language),
            url("transparency:report_public", language, pk=report.pk),
            url("transparency:methodology", language),
            url("transparency:strategy", language),
            url("transparency:funding_dashboard", language),
        ]
    return pages


@pytest.fixture
def data():
    organization = OrganizationFactory(
        name="Shoqata Drita", verification_status=Organization.Verification.VERIFIED
    )
    call = CallFactory()
    report = TransparencyReportFactory(organization=organization, published=True)
    GivingRecordFactory(verified=True, donor_name="Kompania Alfa")
    aggregates.refresh()
    return organization, call, report


def _body(response) -> str:
    return response.content.decode()


# --- what is kept and for whom ------------------------------------------------------------------


def test_every_public_page_is_kept_for_visitors_without_a_token_or_anything_personal(client, data):
    organization, call, report = data
    signed_in = UserFactory(email="private.person@example.org", full_name="Private Person")
    other = type(client)()
    other.force_login(signed_in)
    for page in public_pages(organization, call, report):
        mine = other.get(page)  # a signed-in person's page first: never kept for others
        assert mine.status_code == 200, page
        assert HEADER not in mine, page
        first = client.get(page)
        second = client.get(page)
        assert first.status_code == second.status_code == 200, page
        assert first[HEADER] == "miss" and second[HEADER] == "hit", page
        assert _body(second) == _body(first), page
        for response in (first, second):
            text = _body(response)
            for marker in TOKEN_MARKERS:
                assert marker not in text, (page, marker)
            assert "private.person@example.org" not in text and "Private Person" not in text, page
            assert not response.cookies, page
            assert "Cookie" in response["Vary"], page


def test_signed_in_people_never_get_the_visitors_copy(client, data):
    _organization, _call, _report = data
    page = url("organizations:directory", "en")
    assert client.get(page)[HEADER] == "miss"
    assert client.get(page)[HEADER] == "hit"
    user = UserFactory(email="member@example.org")
    client.force_login(user)
    response = client.get(page)
    assert HEADER not in response
    assert "csrfmiddlewaretoken" in _body(response)  # the sign-out form of their own header
    assert 'hx-headers=\'{"X-CSRFToken"' in _body(response)  # htmx requests still carry the token


def test_a_visitor_with_messages_or_a_session_gets_a_page_built_for_them(client, data):
    page = url("home", "en")
    client.get(page)
    assert client.get(page)[HEADER] == "hit"
    client.cookies["messages"] = "something"
    assert HEADER not in client.get(page)
    del client.cookies["messages"]
    client.cookies["sessionid"] = "not-a-session"
    assert HEADER not in client.get(page)


def test_query_strings_are_normalised_and_unknown_parameters_are_not_kept(client, data):
    base = url("giving:dashboard", "en")
    assert client.get(base + "?cause=health&page=1")[HEADER] == "miss"
    assert client.get(base + "?page=1&cause=health")[HEADER] == "hit"
    assert client.get(base + "?cause=health")[HEADER] == "hit"
    assert HEADER not in client.get(base + "?cause=health&utm=x")
    assert HEADER not in client.get(base + "?cause=health&cause=poverty")
    # A search text is a new variant every time: built, not kept.
    assert HEADER not in client.get(url("organizations:directory", "en") + "?q=drita")
    assert client.get(url("organizations:directory", "en") + "?q=")[HEADER] == "miss"


def test_query_key():
    assert query_key(QueryDict("b=2&a=1&page=1"), ("a", "b", "page")) == "a=1&b=2"
    assert query_key(QueryDict("page=25"), ("page",)) == "page=25"  # every page, past 20 too
    assert query_key(QueryDict("page=025"), ("page",)) is None
    assert query_key(QueryDict("page=x"), ("page",)) is None
    assert query_key(QueryDict("a=1&a=2"), ("a",)) is None
    assert query_key(QueryDict("z=1"), ("a",)) is None
    assert query_key(QueryDict("q=x"), ("q",), search={"q"}) is None
    assert query_key(QueryDict("q="), ("q",), search={"q"}) == ""


def test_awarded_grants_pages_past_twenty_are_kept_like_the_first(client, data):
    page = url("grants:awarded_list", "en") + "?page=60"
    assert client.get(page)[HEADER] == "miss"
    assert client.get(page)[HEADER] == "hit"


# --- a change shows at the next request, in every language ----------------------------------------


def _warm(client, pages):
    for page in pages:
        client.get(page)
        assert client.get(page)[HEADER] == "hit", page


def test_a_new_giving_record_shows_at_the_next_request_in_every_language(client, data):
    pages = [url("giving:dashboard", language) for language in LANGUAGES] + [url("home", "en")]
    _warm(client, pages)
    GivingRecordFactory(verified=True, donor_name="Kompania Beta", amount="7777.00")
    for page in pages[:3]:
        assert client.get(page)[HEADER] == "miss", page
    _warm(client, pages)
    aggregates.refresh()  # new numbers (the task after an import): out of date again
    for page in pages[:3]:
        response = client.get(page)
        assert response[HEADER] == "miss" and "7" in _body(response), page
        assert client.get(page)[HEADER] == "hit"
    assert client.get(pages[3])[HEADER] == "miss"


def test_a_changed_call_shows_at_the_next_request_in_every_language(client, data):
    _organization, call, _report = data
    pages = [url("grants:call_detail", language, slug=call.slug) for language in LANGUAGES]
    pages += [url("grants:call_list", language) for language in LANGUAGES]
    _warm(client, pages)
    call.title_sq, call.title_sr, call.title_en = "Thirrja e re", "Novi poziv", "The new call"
    call.save()
    for page, title in zip(pages, ["Thirrja e re", "Novi poziv", "The new call"] * 2, strict=True):
        response = client.get(page)
        assert response[HEADER] == "miss" and title in _body(response), page


def test_a_renamed_organisation_shows_at_the_next_request_in_every_language(client, data):
    organization, _call, _report = data
    pages = [url("organizations:directory", language) for language in LANGUAGES]
    pages += [url("organizations:detail", language, slug=organization.slug) for language in LANGUAGES]
    pages += [url("transparency:report_list", language) for language in LANGUAGES]
    _warm(client, pages)
    organization.name = "Shoqata Agimi"
    organization.save()
    for page in pages:
        response = client.get(page)
        assert response[HEADER] == "miss" and "Shoqata Agimi" in _body(response), page


def test_a_published_report_shows_at_the_next_request_in_every_language(client, data):
    pages = [url("transparency:report_list", language) for language in LANGUAGES]
    _warm(client, pages)
    other = OrganizationFactory(name="Rrjeti Hapur", verification_status=Organization.Verification.VERIFIED)
    TransparencyReportFactory(organization=other, published=True)
    for page in pages:
        response = client.get(page)
        assert response[HEADER] == "miss" and "Rrjeti Hapur" in _body(response), page


def test_a_call_page_with_a_countdown_is_kept_a_minute_at_most(client, data, monkeypatch):
    _organization, call, _report = data
    stored = {}
    real_set = page_cache.cache.set

    def spy(key, value, timeout=None, **kwargs):
        if key.startswith(page_cache.KEY_PREFIX):
            stored[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", spy)
    client.get(url("grants:call_detail", "en", slug=call.slug))
    assert list(stored.values()) == [60]
    stored.clear()
    call.opens_at = call.closes_at - timedelta(days=30)
    call.save()
    client.get(url("grants:call_list", "en"))  # kept until the next opening or closing at most
    assert 0 < next(iter(stored.values())) <= 20 * 86400


# --- never kept -----------------------------------------------------------------------------------


def _view_with(template: str):
    engine = engines["django"]

    @anonymous_cache(topics=["tests.page"])
    def view(request):
        from django.http import HttpResponse

        return HttpResponse(engine.from_string(template).render({}, request))

    return view


def _anonymous_get(path="/en/test/"):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_a_page_holding_a_csrf_token_is_never_kept(caplog):
    view = _view_with("<form method='post'>{% csrf_token %}</form>")
    first = view(_anonymous_get())
    second = view(_anonymous_get())
    assert HEADER not in first and HEADER not in second
    assert "holds a CSRF token" in caplog.text


def test_a_page_using_a_csp_nonce_is_never_kept():
    view = _view_with("<script nonce='{{ request.csp_nonce }}'></script>")

    def get():
        request = _anonymous_get()
        request._csp_nonce = "abc"
        return view(request)

    assert HEADER not in get()
    assert HEADER not in get()


def test_an_error_page_is_never_kept(client):
    page = url("organizations:detail", "en", slug="no-such-organisation")
    assert client.get(page).status_code == 404
    assert HEADER not in client.get(page)


def test_pages_are_built_when_the_cache_does_not_answer(client, data, monkeypatch):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = FailSoftRedisCache(
        f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}
    )
    from core import fragments

    monkeypatch.setattr(page_cache, "cache", dead)
    monkeypatch.setattr(fragments, "cache", dead)
    page = url("giving:dashboard", "en")
    for _ in range(2):
        response = client.get(page)
        assert response.status_code == 200
        assert "Kompania Alfa" in _body(response)
        assert response.get(HEADER) != "hit"


# --- bounded -------------------------------------------------------------------------------------


def test_a_hostile_query_string_cannot_fill_the_cache(settings):
    """Declared parameters still take any value: a long value is not kept, and one page keeps at
    most PAGE_CACHE_MAX_VARIANTS new copies a window (then it is built, as for signed-in people)."""
    import uuid

    from django.http import HttpResponse

    settings.PAGE_CACHE_MAX_VARIANTS = 3

    @anonymous_cache(
        topics=["tests.variants"], query=("municipality", "page"), name=f"tests.{uuid.uuid4().hex}"
    )
    def view(request):
        return HttpResponse("<p>page</p>")

    assert HEADER not in view(_anonymous_get("/en/t/?municipality=" + "x" * 200))
    assert HEADER not in view(_anonymous_get("/en/t/?municipality=" + "x" * 200))
    kept = [view(_anonymous_get(f"/en/t/?page={n}")).get(HEADER) for n in range(2, 8)]
    assert kept == ["miss", "miss", "miss", None, None, None]
    assert view(_anonymous_get("/en/t/?page=2"))[HEADER] == "hit"  # what was kept still answers
    assert view(_anonymous_get("/en/t/?page=7")).get(HEADER) is None
