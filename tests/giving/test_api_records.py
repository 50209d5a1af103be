"""The records API: /api/v1/giving/records/ (public read, partner write) and /bulk/."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import IdempotencyKey, Municipality
from giving.choices import DonorType, Geography, RecipientType, Source, Status
from giving.models import GivingRecord
from organizations import services as org_services
from organizations.models import ApiToken, Membership
from tests.factories import OrganizationFactory, StaffFactory, member_of
from tests.giving.factories import GivingRecordFactory
from tests.helpers import t

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

LIST_URL = "/api/v1/giving/records/"
BULK_URL = "/api/v1/giving/records/bulk/"

INTERNAL_FIELDS = {"entered_by", "entered_for", "fingerprint", "reviewed_by", "reviewed_at", "status"}


def detail_url(pk) -> str:
    return f"/api/v1/giving/records/{pk}/"


@pytest.fixture
def api():
    return APIClient()


def make_token(scopes=("giving:write",)):
    owner = member_of(OrganizationFactory(), Membership.Role.OWNER)
    organization = owner.memberships.get().organization
    token, key = org_services.api_token_create(
        actor=owner, organization=organization, name="feeder", scopes=list(scopes)
    )
    return token, key


@pytest.fixture
def partner(api):
    token, key = make_token()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.token = token
    return api


def gift(**overrides) -> dict:
    body = {
        "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "amount": "750.00",
        "support_kind": "money",
        "donor_type": "diaspora_individual",
        "donor_name": "Arben K.",
        "donor_name_public": False,
        "donor_country": "CH",
        "diaspora_channel": "crowdfunding",
        "recipient_type": "health",
        "recipient_name": "QKMF Podujevë",
        "cause": "health",
        "beneficiary_group": "general",
        "geography": "municipality",
        "municipality": "podujeve",
    }
    body.update(overrides)
    return body


def test_urls_are_named():
    assert reverse("giving-record-list") == LIST_URL
    assert reverse("giving-record-bulk") == BULK_URL
    assert reverse("giving-record-detail", kwargs={"pk": 5}) == detail_url(5)


class TestPublicRead:
    def test_only_verified_records_are_listed(self, api):
        verified = GivingRecordFactory(verified=True)
        GivingRecordFactory()
        GivingRecordFactory(rejected=True)
        response = api.get(LIST_URL)
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == [verified.pk]

    def test_no_internal_fields(self, api):
        GivingRecordFactory(verified=True)
        row = api.get(LIST_URL).json()["results"][0]
        assert not INTERNAL_FIELDS & set(row)
        assert "possible_duplicate_of" not in row
        assert row["municipality"]["slug"]
        assert Decimal(row["amount"]) > 0

    def test_detail_of_unverified_is_404(self, api):
        reported = GivingRecordFactory()
        rejected = GivingRecordFactory(rejected=True)
        verified = GivingRecordFactory(verified=True)
        assert api.get(detail_url(reported.pk)).status_code == 404
        assert api.get(detail_url(rejected.pk)).status_code == 404
        assert api.get(detail_url(999999)).status_code == 404
        response = api.get(detail_url(verified.pk))
        assert response.status_code == 200 and response.json()["id"] == verified.pk

    @pytest.mark.parametrize("path", ["abc", "1.5", "-1", "99999999999999999999999", "%0A"])
    def test_malformed_ids_are_json_404(self, api, path):
        response = api.get(detail_url(path))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")

    def test_private_donor_names_are_hidden(self, api):
        private = GivingRecordFactory(
            verified=True,
            donor_type=DonorType.INDIVIDUAL,
            donor_name="Private Person",
            donor_name_public=False,
        )
        public = GivingRecordFactory(
            verified=True, donor_type=DonorType.INDIVIDUAL, donor_name="Public Person", donor_name_public=True
        )
        company = GivingRecordFactory(
            verified=True, donor_type=DonorType.COMPANY, donor_name="ACME", donor_name_public=False
        )
        family = GivingRecordFactory(
            verified=True, recipient_type=RecipientType.INDIVIDUAL_FAMILY, recipient_name="The Berisha family"
        )
        response = api.get(LIST_URL)
        names = {r["id"]: r["donor_name"] for r in response.json()["results"]}
        assert names[private.pk] == "" and names[public.pk] == "Public Person" and names[company.pk] == "ACME"
        assert "Private Person" not in response.content.decode()
        assert api.get(detail_url(private.pk)).json()["donor_name"] == ""
        assert api.get(detail_url(family.pk)).json()["recipient_name"] == ""

    def test_filters(self, api):
        peje = Municipality.objects.get(slug="peje")
        a = GivingRecordFactory(verified=True, municipality=peje, cause="health")
        b = GivingRecordFactory(verified=True, diaspora=True, cause="education")
        c = GivingRecordFactory(verified=True, kosovo_wide=True, cause="health")

        def ids(params):
            response = api.get(LIST_URL, params)
            assert response.status_code == 200, response.content
            return {r["id"] for r in response.json()["results"]}

        assert ids({"municipality": "peje"}) == {a.pk}
        assert ids({"cause": "health"}) == {a.pk, c.pk}
        assert ids({"cause": ["health", "education"]}) == {a.pk, b.pk, c.pk}
        assert ids({"diaspora": "yes"}) == {b.pk}
        assert ids({"geography": Geography.KOSOVO_WIDE}) == {c.pk}
        assert ids({"year": b.date.year}) >= {b.pk}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"cause": "gardening"}, "cause"),
            ({"municipality": "atlantis"}, "municipality"),
            ({"date_from": "yesterday"}, "date_from"),
            ({"date_to": ""}, "date_to"),
            ({"cause": ""}, "cause"),
            ({"year": "1200"}, "year"),
            ({"page_size": "0"}, "page_size"),
            ({"page_size": "many"}, "page_size"),
        ],
    )
    def test_bad_parameters_are_400(self, api, params, field):
        response = api.get(LIST_URL, params)
        assert response.status_code == 400
        assert field in response.json()

    def test_invalid_cursor_is_404(self, api):
        assert api.get(LIST_URL, {"cursor": "garbage"}).status_code == 404

    def test_cursor_pagination_newest_first(self, api):
        today = timezone.localdate()
        records = [
            GivingRecordFactory(verified=True, date=today - datetime.timedelta(days=n % 3)) for n in range(7)
        ]
        expected = [r.pk for r in sorted(records, key=lambda r: (r.date, r.pk), reverse=True)]
        seen, url = [], LIST_URL + "?page_size=3"
        while url:
            body = api.get(url).json()
            assert "count" not in body
            seen += [r["id"] for r in body["results"]]
            url = body["next"]
        assert seen == expected

    def test_page_size_is_capped_at_500(self, api):
        assert api.get(LIST_URL, {"page_size": 10_000}).status_code == 200

    def test_query_count_does_not_grow_with_rows(self, api, django_assert_max_num_queries):
        partner_org = OrganizationFactory()

        def seed(n):
            for _ in range(n):
                GivingRecordFactory(
                    verified=True, recipient_organization=partner_org, donor_organization=partner_org
                )

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert api.get(LIST_URL, {"page_size": 500}).status_code == 200
            return len(ctx.captured_queries)

        seed(3)
        small = count()
        seed(9)
        assert count() == small
        with django_assert_max_num_queries(2):
            api.get(LIST_URL)


class TestWritePermissions:
    def test_anonymous_is_401(self, api):
        response = api.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 401
        assert api.post(BULK_URL, {"records": [gift()]}, format="json").status_code == 401
        assert GivingRecord.objects.count() == 0

    def test_token_without_scope_is_403(self, api):
        _token, key = make_token(scopes=())
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = api.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 403
        assert "giving:write" in response.json()["detail"]

    def test_session_user_is_403(self, api):
        api.force_login(StaffFactory())  # a browser session is no partner system
        response = api.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
        assert response.status_code == 403

    def test_revoked_token_is_401(self, api):
        token, key = make_token()
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 401


class TestWrite:
    def test_creates_a_reported_partner_record(self, partner):
        response = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
        assert response.status_code == 201, response.content
        record = GivingRecord.objects.get()
        body = response.json()
        assert body["id"] == record.pk and body["status"] == "reported"
        assert record.source == Source.PARTNER
        assert record.status == Status.REPORTED
        assert record.entered_for == partner.token.organization
        assert record.is_diaspora and record.donor_country == "CH"
        assert record.municipality.slug == "podujeve"
        assert record.history.count() == 1
        # Not public until verified.
        assert APIClient().get(detail_url(record.pk)).status_code == 404

    def test_missing_or_long_key_is_400(self, partner):
        response = partner.post(LIST_URL, gift(), format="json")
        assert response.status_code == 400 and "Idempotency-Key" in response.json()
        response = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256)
        assert response.status_code == 400 and "Idempotency-Key" in response.json()
        assert GivingRecord.objects.count() == 0 and IdempotencyKey.objects.count() == 0

    def test_replay_returns_the_first_response(self, partner):
        first = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="same")
        second = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="same")
        assert first.status_code == second.status_code == 201
        assert first.json() == second.json()
        assert second["Idempotent-Replayed"] == "true"
        assert GivingRecord.objects.count() == 1

    def test_same_key_other_body_is_422(self, partner):
        partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="same")
        response = partner.post(
            LIST_URL,
            gift(amount="751.00"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="same",
            HTTP_ACCEPT_LANGUAGE="sq",
        )
        assert response.status_code == 422
        assert response.json()["detail"] == t(
            "This Idempotency-Key was already used for a different request. Use a new key for a new submission."
        )
        assert GivingRecord.objects.count() == 1

    def test_keys_are_per_token(self, partner, api):
        partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="same")
        _token, key = make_token()
        other = APIClient()
        other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        response = other.post(LIST_URL, gift(amount="12.00"), format="json", HTTP_IDEMPOTENCY_KEY="same")
        assert response.status_code == 201
        assert GivingRecord.objects.count() == 2

    def test_a_request_in_progress_with_the_same_key_is_409(self, partner):
        first = partner.post(LIST_URL, gift(amount="1.00"), format="json", HTTP_IDEMPOTENCY_KEY="busy")
        # The first request is still running: its claim has no response yet.
        IdempotencyKey.objects.filter(key="busy").update(response_status=None, response_body=None)
        response = partner.post(LIST_URL, gift(amount="1.00"), format="json", HTTP_IDEMPOTENCY_KEY="busy")
        assert first.status_code == 201 and response.status_code == 409
        assert response["Retry-After"]
        assert GivingRecord.objects.count() == 1

    def test_the_key_is_unique_in_the_database(self, partner):
        client = f"token:{partner.token.pk}"
        IdempotencyKey.objects.create(client=client, scope="s", key="k", request_hash="a")
        with pytest.raises(IntegrityError), transaction.atomic():
            IdempotencyKey.objects.create(client=client, scope="s", key="k", request_hash="a")

    def test_validation_errors_are_400_and_release_the_key(self, partner):
        future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
        response = partner.post(
            LIST_URL, gift(amount="-3", municipality="atlantis"), format="json", HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 400
        assert set(response.json()) == {"amount", "municipality"}
        response = partner.post(LIST_URL, gift(date=future), format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 400 and "date" in response.json()
        response = partner.post(
            LIST_URL,
            gift(geography="municipality", municipality=None),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k",
        )
        assert response.status_code == 400
        assert GivingRecord.objects.count() == 0
        response = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert response.status_code == 201

    def test_exact_duplicate_is_409_naming_the_record(self, partner):
        existing = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="one").json()
        response = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="two")
        assert response.status_code == 409
        assert response.json()["existing_id"] == existing["id"]
        assert str(existing["id"]) in response.json()["detail"]
        assert GivingRecord.objects.count() == 1

    def test_a_guess_at_another_organisations_record_is_not_confirmed(self, partner):
        """Issue 12 item 9: another partner's unverified record with a private donor name. A
        right guess and a wrong one get the same answer (201, flagged for the moderators as a
        possible duplicate of the same record), so nothing about the other record is learnt."""
        _token, other_key = make_token()
        other = APIClient()
        other.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
        assert other.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="o").status_code == 201
        theirs = GivingRecord.objects.get()
        right = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="right")
        wrong = partner.post(
            LIST_URL, gift(donor_name="Wrong Guess"), format="json", HTTP_IDEMPOTENCY_KEY="w"
        )
        assert (right.status_code, wrong.status_code) == (201, 201)
        assert right.json().keys() == wrong.json().keys()
        # Both look like the same record (same place, cause, amount, date): the same flag.
        assert right.json()["possible_duplicate_of"] == wrong.json()["possible_duplicate_of"] == theirs.pk
        flagged = GivingRecord.objects.exclude(pk=theirs.pk)
        assert {r.possible_duplicate_of_id for r in flagged} == {theirs.pk}
        assert {r.status for r in flagged} == {Status.REPORTED}  # not public until moderated

    def test_malformed_json_is_400(self, partner):
        response = partner.post(
            LIST_URL, data="{not json", content_type="application/json", HTTP_IDEMPOTENCY_KEY="m"
        )
        assert response.status_code == 400


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite cannot run concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_record():
    """Two requests with the same key at the same time: one record (the second waits on
    the unique index, then replays the first answer)."""
    _token, key = make_token()
    results = []

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            results.append(
                client.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="race").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert GivingRecord.objects.count() == 1
    assert sorted(results) in ([201, 201], [201, 409])


class TestBulk:
    def test_all_created(self, partner):
        records = [gift(amount=f"{100 + n}.00") for n in range(5)]
        response = partner.post(BULK_URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="b1")
        assert response.status_code == 201, response.content
        assert response.json()["count"] == 5
        assert GivingRecord.objects.filter(source=Source.PARTNER, status=Status.REPORTED).count() == 5
        assert all(r.history.count() == 1 for r in GivingRecord.objects.all())

    def test_one_invalid_record_creates_none(self, partner):
        records = [gift(amount="100.00"), gift(amount="0"), gift(amount="300.00", cause="gardening")]
        response = partner.post(BULK_URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="b1")
        assert response.status_code == 400
        errors = response.json()["records"]
        assert set(errors) == {"1", "2"}
        assert "amount" in errors["1"] and "cause" in errors["2"]
        assert GivingRecord.objects.count() == 0

    def test_service_level_errors_by_position(self, partner):
        future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
        records = [gift(amount="100.00"), gift(amount="200.00", date=future)]
        response = partner.post(BULK_URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="b1")
        assert response.status_code == 400
        assert list(response.json()["records"]) == ["1"] and "date" in response.json()["records"]["1"]
        assert GivingRecord.objects.count() == 0

    def test_duplicates_create_none(self, partner):
        existing = partner.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="one").json()
        records = [gift(amount="1.00"), gift(), gift(amount="1.00")]
        response = partner.post(BULK_URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="b2")
        assert response.status_code == 409
        duplicates = response.json()["duplicates"]
        assert duplicates == [
            {"index": 1, "existing_id": existing["id"], "duplicate_of_index": None},
            {"index": 2, "existing_id": None, "duplicate_of_index": 0},
        ]
        assert GivingRecord.objects.count() == 1

    def test_a_bulk_guess_at_another_organisations_record_is_not_confirmed(self, partner):
        _token, other_key = make_token()
        other = APIClient()
        other.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
        assert other.post(LIST_URL, gift(), format="json", HTTP_IDEMPOTENCY_KEY="o").status_code == 201
        theirs = GivingRecord.objects.get()
        records = [gift(donor_name="Wrong Guess"), gift()]
        response = partner.post(BULK_URL, {"records": records}, format="json", HTTP_IDEMPOTENCY_KEY="b3")
        assert response.status_code == 201, response.content
        assert [r["possible_duplicate_of"] for r in response.json()["records"]] == [theirs.pk, theirs.pk]
        flagged = GivingRecord.objects.exclude(pk=theirs.pk)
        assert flagged.count() == 2
        assert {r.possible_duplicate_of_id for r in flagged} == {theirs.pk}

    def test_limits(self, partner):
        response = partner.post(BULK_URL, {"records": []}, format="json", HTTP_IDEMPOTENCY_KEY="e")
        assert response.status_code == 400
        too_many = [gift(amount=f"{n + 1}.00") for n in range(501)]
        response = partner.post(BULK_URL, {"records": too_many}, format="json", HTTP_IDEMPOTENCY_KEY="t")
        assert response.status_code == 400
        assert GivingRecord.objects.count() == 0

    def test_idempotent(self, partner):
        body = {"records": [gift(amount="5.00"), gift(amount="6.00")]}
        first = partner.post(BULK_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="bk")
        again = partner.post(BULK_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="bk")
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert GivingRecord.objects.count() == 2
        other = partner.post(
            BULK_URL, {"records": [gift(amount="7.00")]}, format="json", HTTP_IDEMPOTENCY_KEY="bk"
        )
        assert other.status_code == 422
        assert partner.post(BULK_URL, body, format="json").status_code == 400
