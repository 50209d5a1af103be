"""The public grants API: published calls and awarded grants (contract, filters,
pagination, 400s for malformed filters, 404s, privacy, query counts)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Municipality, Sector
from grants.choices import ApplicantType, GrantStatus
from tests.grants.factories import CallFactory, add_form, verified_cso
from tests.grants.test_open_data_support import PERSON_NAME, awarded_grant
from tests.helpers import t

pytestmark = pytest.mark.django_db

CALLS = "/api/v1/grants/calls/"
AWARDED = "/api/v1/grants/awarded/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def calls():
    now = timezone.now()
    open_call = CallFactory(slug="open-call", title_en="Open call", allow_individuals=False, with_form=True)
    open_call.municipalities.set([Municipality.objects.get(slug="peje")])
    open_call.sectors.set([Sector.objects.get(slug="youth")])
    upcoming = CallFactory(
        slug="upcoming-call",
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=30),
        allow_organizations=False,
        allow_groups=False,
    )
    closed = CallFactory(
        slug="closed-call",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=5),
        two_stage=True,
        full_proposal_closes_at=now + timedelta(days=10),
    )
    hidden = CallFactory(slug="hidden-call", is_published=False)
    return {"open": open_call, "upcoming": upcoming, "closed": closed, "hidden": hidden}


# --- calls ----------------------------------------------------------------------------------


def test_call_list_shows_published_calls_only(api, calls):
    response = api.get(CALLS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {c["slug"] for c in body["results"]} == {"open-call", "upcoming-call", "closed-call"}
    assert api.get(f"{CALLS}hidden-call/").status_code == 404
    assert api.get(f"{CALLS}no-such-call/").status_code == 404
    assert api.get(f"{CALLS}bad%20slug!/").status_code == 404


def test_call_detail_contract(api, calls):
    response = api.get(f"{CALLS}open-call/")
    assert response.status_code == 200
    data = response.json()
    for key in (
        "slug",
        "code",
        "title_sq",
        "title_sr",
        "title_en",
        "description_sq",
        "description_sr",
        "description_en",
        "applicant_types",
        "total_budget",
        "min_amount",
        "max_amount",
        "cofinancing_percent",
        "opens_at",
        "closes_at",
        "two_stage",
        "full_proposal_closes_at",
        "municipalities",
        "sectors",
        "phase",
        "questions",
        "criteria",
        "url",
    ):
        assert key in data, key
    assert data["title_en"] == "Open call"
    assert data["applicant_types"] == ["organization", "group"]
    assert data["total_budget"] == "50000.00" and data["max_amount"] == "10000.00"
    assert data["cofinancing_percent"] == "20.00"
    assert data["municipalities"] == ["peje"] and data["sectors"] == ["youth"]
    assert data["phase"] == "open" and data["two_stage"] is False
    assert [q["kind"] for q in data["questions"]] == ["long_text", "single_choice"]
    choice = data["questions"][1]
    assert choice["options"] == [
        {"value": "1", "sq": "Të rinjtë", "sr": "Të rinjtë", "en": "Youth"},
        {"value": "2", "sq": "Gratë", "sr": "Gratë", "en": "Women"},
    ]
    assert data["questions"][0]["key"].startswith("q")
    assert [c["title_en"] for c in data["criteria"]] == ["Relevance", "Budget"]
    assert data["criteria"][0]["weight"] == "2.00"
    assert data["url"].endswith("/grants/calls/open-call/")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"phase": "open"}, {"open-call"}),
        ({"phase": "upcoming"}, {"upcoming-call"}),
        ({"phase": "closed"}, {"closed-call"}),
        ({"applicant_type": "individual"}, {"upcoming-call", "closed-call"}),
        ({"applicant_type": "organization"}, {"open-call", "closed-call"}),
        ({"municipality": "peje"}, {"open-call"}),
        ({"sector": "youth"}, {"open-call"}),
        ({"two_stage": "true"}, {"closed-call"}),
        ({"two_stage": "false"}, {"open-call", "upcoming-call"}),
        ({"q": "Call"}, {"open-call", "upcoming-call", "closed-call"}),
        ({"q": "open"}, {"open-call"}),
    ],
)
def test_call_filters(api, calls, params, expected):
    response = api.get(CALLS, params)
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()["results"]} == expected


@pytest.mark.parametrize(
    "params",
    [
        {"phase": "soon"},
        {"phase": ""},
        {"applicant_type": "robot"},
        {"municipality": "atlantis"},
        {"sector": "nothing"},
        {"two_stage": "maybe"},
        {"page_size": "0"},
        {"page_size": "abc"},
        {"page": ""},
    ],
)
def test_malformed_call_filters_are_400(api, calls, params):
    response = api.get(CALLS, params)
    assert response.status_code == 400
    assert set(response.json()) <= set(params) | {"non_field_errors"}


def test_call_pagination(api):
    for _ in range(5):
        CallFactory()
    response = api.get(CALLS, {"page_size": 2})
    body = response.json()
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]
    assert api.get(CALLS, {"page_size": 2, "page": 3}).json()["next"] is None
    assert api.get(CALLS, {"page_size": 2, "page": 4}).status_code == 404


def _queries(api, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_call_list_query_count_does_not_grow(api):
    for _ in range(2):
        add_form(CallFactory())
    few = _queries(api, CALLS)
    for _ in range(6):
        call = add_form(CallFactory())
        call.municipalities.set(Municipality.objects.all()[:3])
        call.sectors.set(Sector.objects.all()[:2])
    assert _queries(api, CALLS) == few


# --- awarded grants -------------------------------------------------------------------------


@pytest.fixture
def grants():
    call = CallFactory(slug="youth-2026", title_en="Youth initiatives")
    org = verified_cso(name="Qendra Rinore", registration_number="5200001")
    return {
        "org": awarded_grant(call=call, organization=org, amount=Decimal("4000.00"), municipality="peje"),
        "group": awarded_grant(
            call=call, applicant_type=ApplicantType.GROUP, group_name="Miqtë e lumit", municipality="prizren"
        ),
        "individual": awarded_grant(
            call=CallFactory(slug="other-call"),
            applicant_type=ApplicantType.INDIVIDUAL,
            amount=Decimal("1200.00"),
            municipality="gjilan",
            title="Reading corner",
            summary=f"I am {PERSON_NAME}.",
            awarded_at=timezone.now().replace(year=2025),
        ),
    }


def test_awarded_list_contract_and_privacy(api, grants):
    response = api.get(AWARDED, HTTP_ACCEPT_LANGUAGE="sq")  # its labels asserted in sq
    assert response.status_code == 200
    assert PERSON_NAME not in response.content.decode()
    body = response.json()
    assert body["count"] == 3
    by_id = {g["identifier"]: g for g in body["results"]}
    org = by_id[grants["org"].identifier]
    assert set(org) == {
        "identifier",
        "reference",
        "title",
        "description",
        "currency",
        "amount",
        "call",
        "recipient",
        "municipality",
        "award_date",
        "starts_on",
        "ends_on",
        "status",
    }
    assert org["amount"] == "4000.00" and org["currency"] == "EUR"
    assert org["recipient"]["name"] == "Qendra Rinore"
    assert org["recipient"]["applicant_type"] == "organization"
    assert org["recipient"]["organization_identifier"] == "XK-ARBK-5200001"
    assert org["recipient"]["url"].endswith(grants["org"].application.organization.get_absolute_url())
    assert org["municipality"]["slug"] == "peje"
    assert org["call"]["slug"] == "youth-2026" and org["call"]["title_en"] == "Youth initiatives"
    assert org["starts_on"] == "2026-03-01" and org["status"] == GrantStatus.AWARDED
    individual = by_id[grants["individual"].identifier]
    assert individual["recipient"] == {
        "applicant_type": "individual",
        "name": t("Individual (withheld for privacy)"),
        "organization": None,
        "organization_identifier": None,
        "url": None,
    }
    assert individual["description"] == ""


def test_awarded_detail_by_identifier(api, grants):
    grant = grants["group"]
    response = api.get(f"{AWARDED}{grant.identifier}/")
    assert response.status_code == 200
    assert response.json()["recipient"]["name"] == "Miqtë e lumit"
    individual = api.get(f"{AWARDED}{grants['individual'].identifier}/")
    assert individual.status_code == 200 and PERSON_NAME not in individual.content.decode()
    assert api.get(f"{AWARDED}{grant.application.reference}/").status_code == 404
    assert api.get(f"{AWARDED}{settings.GRANTS_360_PREFIX}-CEA-1999-9999/").status_code == 404
    assert api.get(f"{AWARDED}a/b/").status_code == 404


def test_a_grant_not_public_is_404(api, grants):
    hidden = grants["org"]
    hidden.status = "nonsense"  # not a public status
    hidden.save(update_fields=["status"])
    assert api.get(f"{AWARDED}{hidden.identifier}/").status_code == 404
    assert api.get(AWARDED).json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"call": "youth-2026"}, {"org", "group"}),
        ({"call": "no-such-call"}, set()),
        ({"year": "2025"}, {"individual"}),
        ({"municipality": "prizren"}, {"group"}),
        ({"applicant_type": "individual"}, {"individual"}),
        ({"q": "Qendra"}, {"org"}),
        ({"q": PERSON_NAME.split()[0]}, set()),
    ],
)
def test_awarded_filters(api, grants, params, expected):
    response = api.get(AWARDED, params)
    assert response.status_code == 200
    assert {g["identifier"] for g in response.json()["results"]} == {grants[k].identifier for k in expected}


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "1900"},
        {"year": ""},
        {"call": ""},
        {"call": "x" * 81},
        {"municipality": "atlantis"},
        {"applicant_type": "robot"},
        {"q": "x" * 101},
    ],
)
def test_malformed_awarded_filters_are_400(api, grants, params):
    assert api.get(AWARDED, params).status_code == 400


def test_awarded_query_count_does_not_grow(api):
    for kind in (ApplicantType.ORGANIZATION, ApplicantType.GROUP):
        awarded_grant(call=CallFactory(), applicant_type=kind)
    few = _queries(api, AWARDED)
    for kind in [ApplicantType.ORGANIZATION, ApplicantType.GROUP, ApplicantType.INDIVIDUAL] * 2:
        awarded_grant(call=CallFactory(), applicant_type=kind)
    assert _queries(api, AWARDED) == few


def test_public_endpoints_are_read_only(api, calls, grants):
    for path in (CALLS, f"{CALLS}open-call/", AWARDED, f"{AWARDED}{grants['org'].identifier}/"):
        assert api.post(path, {}).status_code in (403, 405)
        assert api.delete(path).status_code in (403, 405)
