"""The partner API: applications of co-managed calls with a `grants:read` token
(401 / 403 / 404, drafts never shown, individuals withheld, filters, query counts)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from grants.choices import ApplicantType, ApplicationStatus
from grants.models import Application, Grant, Revision
from organizations import services as org_services
from organizations.models import ApiToken, Membership
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of
from tests.grants.factories import CallFactory, verified_cso
from tests.grants.test_open_data_support import PERSON_NAME, awarded_grant, sent_application
from tests.helpers import t

pytestmark = pytest.mark.django_db

LIST = "/api/v1/grants/applications/"


def detail(application) -> str:
    return f"{LIST}{application.reference}/"


def make_token(org, scopes=(ApiToken.Scope.GRANTS_READ,)):
    owner = member_of(org, Membership.Role.OWNER)
    return org_services.api_token_create(actor=owner, organization=org, name="Partner", scopes=list(scopes))


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def setup():
    partner = OrganizationFactory(name="Partner Foundation")
    call = CallFactory(slug="co-managed")
    call.co_managers.add(partner)
    other_call = CallFactory(slug="not-ours")
    individual = sent_application(
        call=call,
        applicant_type=ApplicantType.INDIVIDUAL,
        title="Reading corner",
        status=ApplicationStatus.UNDER_REVIEW,
        average_score=Decimal("82.50"),
        reviews_done=2,
        reviews_assigned=3,
    )
    Revision.objects.create(
        application=individual,
        number=1,
        stage="full",
        snapshot={"applicant": PERSON_NAME, "answers": [{"key": "q1", "value": "old", "display": "old"}]},
    )
    Revision.objects.create(
        application=individual,
        number=2,
        stage="full",
        snapshot={
            "applicant": PERSON_NAME,
            "answers": [
                {
                    "key": "q1",
                    "label": {"sq": "Problemi?", "sr": "", "en": "The problem?"},
                    "kind": "long_text",
                    "value": "The river is full of plastic.",
                    "display": "The river is full of plastic.",
                }
            ],
        },
    )
    approved = awarded_grant(
        call=call, organization=verified_cso(name="Qendra"), amount=Decimal("3500.00")
    ).application
    approved.decision_note = "Report monthly."
    approved.save(update_fields=["decision_note"])
    draft = Application.objects.create(
        call=call, applicant=UserFactory(), applicant_type=ApplicantType.INDIVIDUAL, title="Draft"
    )
    foreign = sent_application(call=other_call, applicant_type=ApplicantType.GROUP, group_name="Others")
    token, key = make_token(partner)
    return {
        "partner": partner,
        "call": call,
        "individual": individual,
        "approved": approved,
        "draft": draft,
        "foreign": foreign,
        "token": token,
        "key": key,
    }


def with_token(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_anonymous_gets_401(api, setup):
    for path in (LIST, detail(setup["individual"])):
        response = api.get(path)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"


def test_unknown_or_revoked_token_gets_401(api, setup):
    assert with_token(api, "cea_nonsense").get(LIST).status_code == 401
    org_services.api_token_revoke(actor=setup["token"].created_by, token=setup["token"])
    assert with_token(api, setup["key"]).get(LIST).status_code == 401


def test_token_without_the_scope_gets_403(api, setup):
    _token, key = make_token(setup["partner"], scopes=())
    for path in (LIST, detail(setup["individual"])):
        response = with_token(api, key).get(path)
        assert response.status_code == 403
        assert "grants:read" in response.json()["detail"]


@pytest.mark.parametrize("who", ["citizen", "partner_member", "applicant"])
def test_signed_in_people_who_are_not_staff_get_403(api, setup, who):
    user = {
        "citizen": UserFactory(),
        "partner_member": member_of(setup["partner"], Membership.Role.OWNER),
        "applicant": setup["individual"].applicant,
    }[who]
    api.force_login(user)
    assert api.get(LIST).status_code == 403
    assert api.get(detail(setup["individual"])).status_code == 403


def test_staff_session_reads_every_sent_application(api, setup):
    api.force_login(StaffFactory())
    response = api.get(LIST)
    assert response.status_code == 200
    refs = {a["reference"] for a in response.json()["results"]}
    assert refs == {setup["individual"].reference, setup["approved"].reference, setup["foreign"].reference}
    assert api.get(detail(setup["foreign"])).status_code == 200


def test_token_reads_only_the_co_managed_calls_applications(api, setup):
    client = with_token(api, setup["key"])
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {a["reference"] for a in body["results"]} == {
        setup["individual"].reference,
        setup["approved"].reference,
    }
    assert client.get(detail(setup["foreign"])).status_code == 404
    assert client.get(f"{LIST}CEA-1999-0001/").status_code == 404
    assert client.get(f"{LIST}a/b/").status_code == 404
    # A draft has no reference: nothing to address it by, and it is never listed.
    assert setup["draft"].reference is None


def test_another_partners_token_sees_nothing(api, setup):
    _token, key = make_token(OrganizationFactory())
    client = with_token(api, key)
    assert client.get(LIST).json()["count"] == 0
    assert client.get(detail(setup["individual"])).status_code == 404


def test_application_contract(api, setup):
    client = with_token(api, setup["key"])
    response = client.get(detail(setup["individual"]), HTTP_ACCEPT_LANGUAGE="sq")  # labels asserted in sq
    assert response.status_code == 200
    assert PERSON_NAME not in response.content.decode()
    data = response.json()
    assert set(data) == {
        "reference",
        "call",
        "stage",
        "applicant_type",
        "applicant_name",
        "organization",
        "title",
        "summary",
        "municipality",
        "starts_on",
        "ends_on",
        "status",
        "eligibility",
        "requested_amount",
        "cofinancing_amount",
        "total_cost",
        "submitted_at",
        "average_score",
        "reviews_done",
        "reviews_assigned",
        "decision",
        "approved_amount",
        "revision",
        "answers",
    }
    assert data["call"] == "co-managed"
    assert data["applicant_type"] == "individual"
    assert data["applicant_name"] == t("Individual (withheld for privacy)")
    assert data["organization"] is None
    assert data["municipality"] == "prishtine"
    assert data["status"] == "under_review" and data["eligibility"] == "eligible"
    assert data["requested_amount"] == "5000.00" and data["total_cost"] == "6000.00"
    assert data["average_score"] == "82.50"
    assert (data["reviews_done"], data["reviews_assigned"]) == (2, 3)
    assert data["decision"] is None and data["approved_amount"] is None
    assert data["revision"] == 2
    assert data["answers"] == [
        {
            "key": "q1",
            "label": {"sq": "Problemi?", "sr": "", "en": "The problem?"},
            "kind": "long_text",
            "value": "The river is full of plastic.",
            "display": "The river is full of plastic.",
        }
    ]

    approved = client.get(detail(setup["approved"])).json()
    assert approved["applicant_name"] == "Qendra"
    assert approved["organization"] == setup["approved"].organization.slug
    assert approved["approved_amount"] == "3500.00"
    assert approved["decision"]["note"] == "Report monthly."
    assert approved["revision"] is None and approved["answers"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "under_review"}, {"individual"}),
        ({"status": "approved"}, {"approved"}),
        ({"applicant_type": "organization"}, {"approved"}),
        ({"call": "co-managed"}, {"individual", "approved"}),
        ({"call": "not-ours"}, set()),
        ({"call": "no-such-call"}, set()),
        ({"eligibility": "eligible"}, {"individual", "approved"}),
        ({"municipality": "prishtine"}, {"individual", "approved"}),
    ],
)
def test_filters(api, setup, params, expected):
    response = with_token(api, setup["key"]).get(LIST, params)
    assert response.status_code == 200
    assert {a["reference"] for a in response.json()["results"]} == {setup[k].reference for k in expected}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "draft"},
        {"status": "bogus"},
        {"status": ""},
        {"call": ""},
        {"eligibility": "maybe"},
        {"stage": "third"},
        {"municipality": "atlantis"},
        {"page_size": "-1"},
    ],
)
def test_malformed_filters_are_400(api, setup, params):
    assert with_token(api, setup["key"]).get(LIST, params).status_code == 400


def _queries(api) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(LIST)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(api, setup):
    client = with_token(api, setup["key"])
    call = setup["call"]
    client.get(LIST)  # the token's last_used_at is written once, on the first request
    few = _queries(client)
    for i in range(6):
        application = sent_application(
            call=call,
            applicant_type=[ApplicantType.ORGANIZATION, ApplicantType.GROUP, ApplicantType.INDIVIDUAL][i % 3],
        )
        Revision.objects.create(application=application, number=1, stage="full", snapshot={"answers": []})
        Revision.objects.create(application=application, number=2, stage="full", snapshot={"answers": []})
        if i % 2:
            application.status = ApplicationStatus.APPROVED
            application.save(update_fields=["status"])
            Grant.objects.create(application=application, call=call, amount=Decimal("100.00"))
    assert _queries(client) == few
    assert client.get(LIST).json()["count"] == 8


def test_partner_endpoints_are_read_only(api, setup):
    client = with_token(api, setup["key"])
    assert client.post(LIST, {}).status_code == 405
    assert client.delete(detail(setup["individual"])).status_code == 405
    assert Application.objects.filter(pk=setup["individual"].pk).exists()
