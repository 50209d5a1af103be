"""The dialogue API: public read of events and commitments (with status and overdue), and a
partner token with `dialogue:write` updating its own organisation's commitments with an
Idempotency-Key."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import StatusChange
from dialogue.choices import CommitmentStatus, EventStatus
from organizations.models import ApiToken
from tests.dialogue.factories import CommitmentFactory, EventFactory, sector
from tests.factories import partner_token

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/dialogue/events/"
COMMITMENTS = "/api/v1/dialogue/commitments/"


def _partner(scopes=None):
    token, key = partner_token(scopes)
    org = token.organization
    org.verification_status = "verified"
    org.save(update_fields=["verification_status"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api, org


def test_public_events_and_commitments(django_assert_max_num_queries):
    event = EventFactory()
    sector(event)
    EventFactory(status=EventStatus.DRAFT)
    overdue = CommitmentFactory(event=event, due_date=timezone.localdate() - timedelta(days=1))
    CommitmentFactory(event=event)
    api = APIClient()
    with django_assert_max_num_queries(6):
        body = api.get(EVENTS).json()
    assert [e["id"] for e in body["results"]] == [event.pk]
    assert body["results"][0]["sectors"] == [{"audience": "cso", "places": 2}]
    body = api.get(COMMITMENTS, {"status": "late"}).json()
    assert [c["id"] for c in body["results"]] == [overdue.pk] and body["results"][0]["overdue"] is True
    assert api.get(COMMITMENTS, {"status": "nope"}).status_code == 400
    assert api.get(f"{EVENTS}999999/").status_code == 404
    assert api.get("/api/v1/dialogue/whatever").status_code == 404


def test_partner_updates_its_own_commitment_once_per_key():
    api, org = _partner([ApiToken.Scope.DIALOGUE_WRITE])
    commitment = CommitmentFactory(organization=org)
    url = f"{COMMITMENTS}{commitment.pk}/"
    body = {"status": "in_progress", "evidence_links": ["https://example.org/x"], "note": "started"}
    assert api.patch(url, body, format="json").status_code == 400  # no Idempotency-Key
    response = api.patch(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == CommitmentStatus.IN_PROGRESS
    replay = api.patch(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    assert StatusChange.objects.filter(workflow="dialogue.commitment").count() == 1
    bad = api.patch(url, {"status": "late"}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert bad.status_code == 403
    bad = api.patch(url, {"status": "planned"}, format="json", HTTP_IDEMPOTENCY_KEY="k3")
    assert bad.status_code == 400


def test_partner_cannot_touch_another_organisations_commitment_or_write_without_the_scope():
    api, _org = _partner([ApiToken.Scope.DIALOGUE_WRITE])
    other = CommitmentFactory()
    response = api.patch(
        f"{COMMITMENTS}{other.pk}/", {"status": "done"}, format="json", HTTP_IDEMPOTENCY_KEY="a"
    )
    assert response.status_code == 404
    reader, org = _partner([ApiToken.Scope.READ])
    own = CommitmentFactory(organization=org)
    response = reader.patch(
        f"{COMMITMENTS}{own.pk}/", {"status": "done"}, format="json", HTTP_IDEMPOTENCY_KEY="b"
    )
    assert response.status_code == 403
    assert APIClient().patch(f"{COMMITMENTS}{own.pk}/", {"status": "done"}, format="json").status_code in (
        401,
        403,
    )
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.status == other.status == CommitmentStatus.PLANNED


def test_a_token_created_by_staff_acts_for_its_organisation_by_its_scope():
    """The decision is the token's organisation and scope, not its creator's membership: a
    token set up by a KCSF staff member (no editor of the organisation) may update that
    organisation's commitments; one without the scope, revoked, or of another organisation
    may not."""
    from organizations.models import ApiToken as Token
    from tests import factories
    from tests.dialogue.factories import verified_org

    org = verified_org()
    staff = factories.StaffFactory()
    key = "cea_writer01-0123456789abcdefghijklmnopqrstu"

    def token(scopes, organization=org, key=key):
        Token.objects.create(
            organization=organization,
            name="Set up by staff",
            prefix=key[4 : 4 + Token.PREFIX_LENGTH],
            key_hash=Token.hash_key(key),
            scopes=sorted({*scopes, Token.Scope.READ}),
            created_by=staff,
        )
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    api = token([Token.Scope.DIALOGUE_WRITE])
    commitment = CommitmentFactory(organization=org)
    url = f"{COMMITMENTS}{commitment.pk}/"
    response = api.patch(
        url, {"status": "in_progress", "note": "by the partner"}, format="json", HTTP_IDEMPOTENCY_KEY="s1"
    )
    assert response.status_code == 200, response.content
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    change = StatusChange.objects.get(workflow="dialogue.commitment")
    assert change.to_status == "in_progress" and change.note == "by the partner"
    # "late" is still the daily task's (or staff's) move, never a token's.
    assert api.patch(url, {"status": "late"}, format="json", HTTP_IDEMPOTENCY_KEY="s2").status_code == 403
    # Another organisation's commitment stays invisible to this token.
    other = CommitmentFactory()
    assert (
        api.patch(
            f"{COMMITMENTS}{other.pk}/", {"status": "done"}, format="json", HTTP_IDEMPOTENCY_KEY="s3"
        ).status_code
        == 404
    )
    # The same creator's token without the write scope is refused.
    reader = token([], key="cea_reader01-0123456789abcdefghijklmnopqrstu")
    assert reader.patch(url, {"status": "done"}, format="json", HTTP_IDEMPOTENCY_KEY="s4").status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS


def test_the_service_decides_by_the_token_not_its_creator():
    from django.core.exceptions import PermissionDenied

    from dialogue.services import commitments as services
    from tests import factories

    api_token, _key = partner_token([ApiToken.Scope.DIALOGUE_WRITE])
    stranger = factories.UserFactory()
    own = CommitmentFactory(organization=api_token.organization)
    services.commitment_update(commitment=own, actor=stranger, token=api_token, progress_note="Going well")
    own.refresh_from_db()
    assert own.progress_note == "Going well"
    with pytest.raises(PermissionDenied):
        services.commitment_update(
            commitment=CommitmentFactory(), actor=stranger, token=api_token, progress_note="x"
        )
    with pytest.raises(PermissionDenied):  # without a token the person's own rights count
        services.commitment_update(commitment=own, actor=stranger, progress_note="x")
