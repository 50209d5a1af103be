"""The public-funding API: public reads with filters, partner writes with a
`transparency:write` token and an Idempotency-Key."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.models import IdempotencyKey
from organizations import services as org_services
from organizations.models import ApiToken, Organization
from tests import factories
from transparency.choices import FundingProcedure
from transparency.models import PublicFundingRecord

pytestmark = pytest.mark.django_db

LIST = "/api/v1/transparency/public-funding/"
BULK = "/api/v1/transparency/public-funding/bulk/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def parties():
    ministry = factories.OrganizationFactory(
        name="Ministria",
        slug="ministria",
        kind=Organization.Kind.PUBLIC_INSTITUTION,
        registration_number="9100001",
    )
    cso = factories.OrganizationFactory(name="Zëri", slug="zeri", registration_number="5200001")
    return {"ministry": ministry, "cso": cso}


def token(scopes=("transparency:write",)):
    org = factories.OrganizationFactory()
    tok, key = org_services.api_token_create(
        actor=factories.StaffFactory(), organization=org, name="Partner", scopes=list(scopes)
    )
    return tok, key


def body(**kw):
    data = {
        "institution": "9100001",
        "recipient": "zeri",
        "year": 2024,
        "amount": "2500.00",
        "programme": "Call 3",
        "procedure": "open_call",
        "call_published": True,
    }
    data.update(kw)
    return data


def post(api, key, data, idem="k-1", url=LIST):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    if idem is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = idem
    return api.post(url, data, format="json", **headers)


# --- Reads ----------------------------------------------------------------------------------


def _records(parties, n, year=2024):
    for i in range(n):
        PublicFundingRecord.objects.create(
            institution=parties["ministry"],
            recipient=parties["cso"] if i % 2 else None,
            recipient_name=parties["cso"].name if i % 2 else f"Grupi {i}",
            year=year,
            amount=Decimal(100 + i),
            procedure=FundingProcedure.OPEN_CALL if i % 3 else FundingProcedure.DIRECT_AWARD,
        )


def test_public_list_and_filters(api, parties):
    _records(parties, 6)
    _records(parties, 2, year=2022)
    response = api.get(LIST)
    assert response.status_code == 200 and response.data["count"] == 8
    first = response.data["results"][0]
    assert first["institution"]["slug"] == "ministria" and first["year"] == 2024
    assert api.get(LIST, {"year": 2022}).data["count"] == 2
    assert api.get(LIST, {"institution": "ministria"}).data["count"] == 8
    assert api.get(LIST, {"recipient": "zeri"}).data["count"] == 4
    assert api.get(LIST, {"recipient": "5200001"}).data["count"] == 4
    assert api.get(LIST, {"procedure": "direct_award"}).data["count"] == 3
    assert api.get(LIST, {"procedure": "bribe"}).status_code == 400
    assert api.get(LIST, {"year": "abc"}).status_code == 400
    record = PublicFundingRecord.objects.first()
    detail = api.get(f"{LIST}{record.pk}/")
    assert detail.status_code == 200 and detail.data["id"] == record.pk
    assert api.get(f"{LIST}999999/").status_code == 404


def test_list_query_count_does_not_grow(api, parties, django_assert_max_num_queries):
    _records(parties, 3)
    with django_assert_max_num_queries(6) as small:
        api.get(LIST)
    _records(parties, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get(LIST)


# --- Writes ---------------------------------------------------------------------------------


def test_partner_creates_a_record(api, parties):
    tok, key = token()
    response = post(api, key, body())
    assert response.status_code == 201, response.data
    record = PublicFundingRecord.objects.get()
    assert record.recipient == parties["cso"] and record.recipient_name == "Zëri"
    assert record.amount == Decimal("2500.00") and record.entered_by == tok.created_by
    assert response.data["id"] == record.pk


def test_same_key_same_body_replays_the_first_response(api, parties):
    _tok, key = token()
    first = post(api, key, body())
    again = post(api, key, body())
    assert again.status_code == 201 and again.data == first.data
    assert again["Idempotent-Replayed"] == "true"
    assert PublicFundingRecord.objects.count() == 1


def test_same_key_different_body_is_422(api, parties):
    _tok, key = token()
    post(api, key, body())
    response = post(api, key, body(amount="9999.00"))
    assert response.status_code == 422
    assert PublicFundingRecord.objects.count() == 1


def test_missing_idempotency_key_is_400(api, parties):
    _tok, key = token()
    response = post(api, key, body(), idem=None)
    assert response.status_code == 400 and "Idempotency-Key" in response.data
    assert not PublicFundingRecord.objects.exists()


def test_the_same_grant_under_another_key_is_409(api, parties):
    _tok, key = token()
    post(api, key, body(), idem="a")
    response = post(api, key, body(), idem="b")
    assert response.status_code == 409 and response.data["id"] == PublicFundingRecord.objects.get().pk


def test_invalid_body_is_400_and_releases_the_key(api, parties):
    _tok, key = token()
    response = post(api, key, body(amount="-1", institution="zeri", procedure="x"))
    assert response.status_code == 400
    assert {"amount", "institution", "procedure"} <= set(response.data)
    assert not IdempotencyKey.objects.exists() and not PublicFundingRecord.objects.exists()
    response = post(api, key, body())  # corrected, same key
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert IdempotencyKey.objects.get().response_status == 201


def test_unknown_recipient_needs_a_name(api, parties):
    _tok, key = token()
    assert post(api, key, body(recipient=""), idem="x").status_code == 400
    response = post(api, key, body(recipient="", recipient_name="Grup i ri"), idem="y")
    assert response.status_code == 201 and response.data["recipient"] is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("bad-token", 401), ("read-token", 403), ("session", 403)],
)
def test_write_needs_the_scope(api, parties, who, expected):
    key = None
    if who == "bad-token":
        key = "cea_nope"
    elif who == "read-token":
        _tok, key = token(scopes=())
    elif who == "session":
        api.force_login(factories.StaffFactory())
    response = post(api, key, body())
    assert response.status_code == expected
    assert not PublicFundingRecord.objects.exists()


def test_revoked_token_is_refused(api, parties):
    tok, key = token()
    org_services.api_token_revoke(actor=factories.StaffFactory(), token=tok)
    assert post(api, key, body()).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_bulk_all_or_nothing_with_duplicates(api, parties):
    _tok, key = token()
    post(api, key, body(), idem="single")
    records = [body(), body(amount="10.00"), body(amount="10.00"), body(amount="20.00")]
    response = post(api, key, {"records": records}, idem="bulk-1", url=BULK)
    assert response.status_code == 201, response.data
    assert len(response.data["created"]) == 2
    assert [d["index"] for d in response.data["duplicates"]] == [0, 2]
    assert PublicFundingRecord.objects.count() == 3

    bad = {"records": [body(amount="30.00"), body(amount="0")]}
    response = post(api, key, bad, idem="bulk-2", url=BULK)
    assert response.status_code == 400
    assert PublicFundingRecord.objects.count() == 3  # nothing half recorded
    assert post(api, key, {"records": []}, idem="bulk-3", url=BULK).status_code == 400
