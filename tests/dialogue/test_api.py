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
