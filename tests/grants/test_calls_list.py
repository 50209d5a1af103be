"""The public list of calls: phases, filters, bad filters, pagination, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Municipality, Sector
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db


def _upcoming(**kwargs):
    now = timezone.now()
    return CallFactory(opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=30), **kwargs)


def _closed(**kwargs):
    now = timezone.now()
    return CallFactory(opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1), **kwargs)


def _titles(response) -> list[str]:
    return [call.title_en for call in response.context["calls"]]


def test_default_tab_shows_only_open_published_calls(client, english):
    open_call = CallFactory(title_en="Open one")
    _upcoming(title_en="Later one")
    _closed(title_en="Past one")
    CallFactory(title_en="Hidden draft", is_published=False)
    response = client.get(reverse("grants:call_list"))
    assert response.status_code == 200
    assert _titles(response) == ["Open one"]
    body = response.content.decode()
    assert "Open one" in body and "Hidden draft" not in body and "Past one" not in body
    assert reverse("grants:call_detail", kwargs={"slug": open_call.slug}) in body
    tabs = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert tabs == {"open": 1, "upcoming": 1, "closed": 1}


@pytest.mark.parametrize(
    ("phase", "title"), [("upcoming", "Later one"), ("closed", "Past one"), ("open", "Open one")]
)
def test_phase_tabs(client, english, phase, title):
    CallFactory(title_en="Open one")
    _upcoming(title_en="Later one")
    _closed(title_en="Past one")
    _closed(title_en="Hidden past", is_published=False)
    response = client.get(reverse("grants:call_list"), {"phase": phase})
    assert response.status_code == 200
    assert _titles(response) == [title]


def test_open_calls_are_ordered_by_nearest_deadline(client, english):
    now = timezone.now()
    CallFactory(title_en="Far", closes_at=now + timedelta(days=40))
    CallFactory(title_en="Near", closes_at=now + timedelta(days=2))
    assert _titles(client.get(reverse("grants:call_list"))) == ["Near", "Far"]


def test_card_shows_who_may_apply_amounts_deadline_and_badge(client, english):
    CallFactory(
        title_en="Youth call",
        summary_en="For young people.",
        allow_organizations=False,
        allow_groups=True,
        allow_individuals=False,
        min_amount="1500.00",
        max_amount="7000.00",
    )
    body = client.get(reverse("grants:call_list")).content.decode()
    assert "For young people." in body
    assert "informal groups" in body and "Registered CSOs" not in body
    assert "1,500.00" in body and "7,000.00" in body
    assert "All of Kosovo" in body
    assert "badge text-bg-success" in body


def test_filter_by_applicant_type(client, english):
    CallFactory(title_en="Only CSOs", allow_groups=False, allow_individuals=False)
    CallFactory(title_en="Everyone")
    response = client.get(reverse("grants:call_list"), {"applicant_type": "individual"})
    assert _titles(response) == ["Everyone"]
    response = client.get(reverse("grants:call_list"), {"applicant_type": "organization"})
    assert sorted(_titles(response)) == ["Everyone", "Only CSOs"]


def test_filter_by_municipality_includes_calls_for_all_of_kosovo(client, english):
    prishtine = Municipality.objects.get(slug="prishtine")
    other = Municipality.objects.exclude(pk=prishtine.pk).first()
    CallFactory(title_en="Prishtina call").municipalities.set([prishtine])
    CallFactory(title_en="Other call").municipalities.set([other])
    CallFactory(title_en="Kosovo-wide")
    response = client.get(reverse("grants:call_list"), {"municipality": "prishtine"})
    assert sorted(_titles(response)) == ["Kosovo-wide", "Prishtina call"]


def test_filter_by_sector_and_search(client, english):
    sectors = list(Sector.objects.all()[:2])
    CallFactory(title_en="Governance grants", description_en="Watchdogs.").sectors.set([sectors[0]])
    CallFactory(title_en="Culture grants", description_en="Theatre and film.").sectors.set([sectors[1]])
    response = client.get(reverse("grants:call_list"), {"sector": sectors[0].slug})
    assert _titles(response) == ["Governance grants"]
    response = client.get(reverse("grants:call_list"), {"q": "theatre"})
    assert _titles(response) == ["Culture grants"]
    response = client.get(reverse("grants:call_list"), {"q": "Kulturë", "sector": sectors[1].slug})
    assert _titles(response) == []


def test_search_in_albanian_title(client):
    CallFactory(title_sq="Thirrje për të rinjtë")
    CallFactory(title_sq="Tjetër")
    response = client.get(reverse("grants:call_list"), {"q": "rinjtë"})
    assert [c.title_sq for c in response.context["calls"]] == ["Thirrje për të rinjtë"]


@pytest.mark.parametrize(
    "params",
    [
        {"phase": "someday"},
        {"applicant_type": "robot"},
        {"municipality": "atlantis"},
        {"sector": "nope"},
        {"q": "x" * 500},
    ],
)
def test_bad_filter_is_a_400_with_the_form_errors(client, english, params):
    CallFactory()
    response = client.get(reverse("grants:call_list"), params)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "Some filters are not valid" in response.content.decode()


def test_bad_page_number_is_not_an_error(client):
    CallFactory()
    assert client.get(reverse("grants:call_list"), {"page": "abc"}).status_code == 200
    assert client.get(reverse("grants:call_list"), {"page": "999"}).status_code == 200


def test_pagination_by_20(client, english):
    for _ in range(23):
        CallFactory()
    first = client.get(reverse("grants:call_list"))
    assert len(first.context["calls"]) == 20
    assert first.context["page_obj"].paginator.count == 23
    second = client.get(reverse("grants:call_list"), {"page": 2})
    assert len(second.context["calls"]) == 3
    assert 'rel="next"' in first.content.decode()


def _seed(n):
    municipalities = [
        Municipality.objects.get(slug="prishtine"),
        *Municipality.objects.exclude(slug="prishtine")[:2],
    ]
    sectors = list(Sector.objects.all()[:2])
    for _ in range(n):
        call = CallFactory()
        call.municipalities.set(municipalities)
        call.sectors.set(sectors)


def _count(client, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("grants:call_list"), params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["calls"])


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_count_does_not_grow_with_rows(client, user, logged_in):
    if logged_in:
        client.force_login(user)
    _seed(3)
    _count(client)  # the filter's choices are rendered once per process (another address than below)
    few, shown_few = _count(client, {"municipality": "prishtine"})
    _seed(6)
    many, shown_many = _count(client, {"municipality": "prishtine"})
    assert (shown_few, shown_many) == (3, 9)
    assert few == many


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_list_renders_in_each_language(client, language):
    call = CallFactory(title_sq="Thirrja SQ", title_sr="Poziv SR", title_en="Call EN")
    with translation.override(language):
        url = reverse("grants:call_list")
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    expected = {"sq": "Thirrja SQ", "sr-latn": "Poziv SR", "en": "Call EN"}[language]
    assert expected in body
    assert call.slug in body
