"""Dialogue's pages: lists with filters in the URL, the event page, calendar files,
registration -> confirmation with code and QR, check-in, commitments and their tracker,
and the Strategy measure page of transparency showing the linked commitments."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import EmailOutbox, Sector
from dialogue.choices import Audience, CommitmentStatus, EventStatus, RegistrationStatus
from dialogue.models import Commitment, Event, Registration
from dialogue.services import registrations as services
from tests import factories
from tests.dialogue.factories import (
    CommitmentFactory,
    EventFactory,
    editor_of,
    sector,
    strategy_measure,
    verified_org,
)
from tests.helpers import login

pytestmark = pytest.mark.django_db


def test_event_list_filters_in_the_url(client, english):
    town_hall = EventFactory(kind="town_hall", municipality=factories.municipality("prizren"))
    sector(town_hall, Audience.MEDIA)
    roundtable = EventFactory()
    EventFactory(status=EventStatus.DRAFT, title_en="Secret draft")
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3), registration_opens_at=timezone.now() - timedelta(days=9)
    )
    html = client.get(reverse("dialogue:event_list")).content.decode()
    assert town_hall.title_en in html and roundtable.title_en in html
    assert "Secret draft" not in html and past.title_en not in html
    html = client.get(reverse("dialogue:event_list"), {"municipality": "prizren"}).content.decode()
    assert town_hall.title_en in html and roundtable.title_en not in html
    html = client.get(
        reverse("dialogue:event_list"), {"sector": "media", "kind": "town_hall"}
    ).content.decode()
    assert town_hall.title_en in html and roundtable.title_en not in html
    html = client.get(reverse("dialogue:event_list"), {"when": "past"}).content.decode()
    assert past.title_en in html and town_hall.title_en not in html
    topic = Sector.objects.order_by("-ordering").first()
    assert (
        roundtable.title_en
        not in client.get(reverse("dialogue:event_list"), {"topic": topic.slug}).content.decode()
    )
    assert client.get(reverse("dialogue:event_list"), {"municipality": "atlantis"}).status_code == 400


def test_lists_run_a_flat_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        CommitmentFactory()
    with django_assert_max_num_queries(12):
        client.get(reverse("dialogue:event_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("dialogue:tracker"))
    for _ in range(6):
        CommitmentFactory()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dialogue:event_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dialogue:tracker")).status_code == 200


def test_event_page_shows_times_in_belgrade_in_the_readers_language(client):
    start = datetime(2030, 3, 12, 9, 0, tzinfo=UTC)  # 10:00 in Belgrade
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=2), registration_closes_at=start)
    sector(event)
    html = client.get(reverse("dialogue:event_detail", kwargs={"pk": event.pk})).content.decode()
    assert "12 mars 2030, 10:00" in html and "12:00" in html
    html = client.get(f"/en/dialogue/events/{event.pk}/").content.decode()
    assert "12 March 2030, 10:00" in html


def test_calendar_file_and_feed(client):
    event = EventFactory()
    EventFactory(status=EventStatus.DRAFT)
    response = client.get(reverse("dialogue:event_ics", kwargs={"pk": event.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 1 and f"dialogue-event-{event.pk}@" in body
    feed = client.get(reverse("dialogue:events_feed")).content.decode()
    assert feed.count("BEGIN:VEVENT") == 1


def test_register_then_confirmation_with_code_and_qr(client, english):
    """A signed-in person registers; the confirmation shows the code and its QR code."""
    event = EventFactory()
    cso = sector(event, Audience.CSO)
    org = verified_org()
    user = factories.UserFactory()
    login(client, user)
    response = client.post(
        reverse("dialogue:register", kwargs={"pk": event.pk}), {"sector": cso.pk, "organization": org.slug}
    )
    registration = Registration.objects.get(user=user)
    assert response.status_code == 302 and registration.organization == org
    page = client.get(response["Location"]).content.decode()
    assert registration.code in page and "<svg" in page
    assert EmailOutbox.objects.filter(to=user.email, attachment_name=f"event-{event.pk}.ics").exists()
    # twice: back to the confirmation, nothing new
    response = client.post(reverse("dialogue:register", kwargs={"pk": event.pk}), {"sector": cso.pk})
    assert response.status_code == 302 and Registration.objects.count() == 1
    assert registration.code in client.get(reverse("dialogue:my_registrations")).content.decode()


def test_registration_refusals_are_400_with_the_reason(client, english):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    cso = sector(event)
    client.force_login(factories.UserFactory())
    response = client.post(reverse("dialogue:register", kwargs={"pk": event.pk}), {"sector": cso.pk})
    assert response.status_code == 400 and "not opened yet" in response.content.decode()
    other = sector(EventFactory())
    response = client.post(reverse("dialogue:register", kwargs={"pk": event.pk}), {"sector": other.pk})
    assert response.status_code == 400
    response = client.post(reverse("dialogue:register", kwargs={"pk": event.pk}), {"sector": "x"})
    assert response.status_code == 400 and not Registration.objects.exists()


def test_my_cancel_frees_the_place_for_the_waiting_list(client, english):
    event = EventFactory()
    cso = sector(event, places=1)
    me, next_one = factories.UserFactory(), factories.UserFactory()
    mine = services.registration_create(event=event, sector=cso, actor=me, user=me)
    waiting = services.registration_create(event=event, sector=cso, actor=next_one, user=next_one)
    client.force_login(next_one)
    assert client.post(reverse("dialogue:registration_cancel", kwargs={"pk": mine.pk})).status_code == 404
    client.force_login(me)
    assert client.post(reverse("dialogue:registration_cancel", kwargs={"pk": mine.pk})).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_check_in_by_code_and_by_tap_with_clear_4xx(client, english):
    event, other = EventFactory(), EventFactory()
    cso = sector(event)
    person = factories.UserFactory()
    registration = services.registration_create(event=event, sector=cso, actor=person, user=person)
    elsewhere = services.registration_create(event=other, sector=sector(other), actor=person, user=person)
    client.force_login(factories.StaffFactory())
    url = reverse("dialogue:check_in", kwargs={"pk": event.pk})
    page = client.get(url, {"q": registration.name[:4]}).content.decode()
    assert registration.name in page and "jsQR.js" in page and "<script>" not in page
    response = client.post(url, {"code": elsewhere.code})
    assert response.status_code == 400 and "another event" in response.content.decode()
    response = client.post(url, {"code": "ZZZZ"})
    assert response.status_code == 400 and "No registration has this code" in response.content.decode()
    assert client.post(url, {"code": registration.code}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED
    html = client.get(reverse("dialogue:event_detail", kwargs={"pk": event.pk})).content.decode()
    assert "Attended" in html


def test_staff_create_an_event_with_sectors_and_agenda(client, english):
    client.force_login(factories.StaffFactory())
    start = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "organization": "",
        "kind": "public_forum",
        "title_sq": "Forum",
        "description_sq": "Përshkrim",
        "topic": Sector.objects.first().pk,
        "starts_at": start.strftime(fmt),
        "ends_at": (start + timedelta(hours=2)).strftime(fmt),
        "place": "Sallë",
        "municipality": factories.municipality().pk,
        "registration_opens_at": timezone.localtime().strftime(fmt),
        "registration_closes_at": start.strftime(fmt),
        "sectors-TOTAL_FORMS": "5",
        "sectors-INITIAL_FORMS": "0",
        "sectors-0-audience": "cso",
        "sectors-0-places": "10",
        "sectors-1-audience": "public",
        "sectors-1-places": "5",
        "agenda-TOTAL_FORMS": "3",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-starts_at": "10:00",
        "agenda-0-title": "Opening",
        "agenda-0-speakers": "Ana",
    }
    response = client.post(reverse("dialogue:event_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.sectors.count() == 2 and event.agenda.get().title == "Opening"
    assert event.starts_at == start and event.organization is None
    bad = {**data, "ends_at": data["starts_at"], "title_sq": "Second"}
    response = client.post(reverse("dialogue:event_create"), bad)
    assert response.status_code == 400 and "must end after" in response.content.decode()
    assert Event.objects.count() == 1
    response = client.post(reverse("dialogue:event_move", kwargs={"pk": event.pk}), {"target": "published"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_commitment_recorded_updated_and_tracked(client, english):
    event = EventFactory()
    institution = verified_org(kind="public", registration_number="")
    measure = strategy_measure()
    client.force_login(factories.StaffFactory())
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    url = reverse("dialogue:commitment_create", kwargs={"pk": event.pk})
    assert (
        client.post(url, {"organization": "not-in-registry", "what": "x", "due_date": due}).status_code == 400
    )
    response = client.post(
        url,
        {
            "organization": institution.slug,
            "what": "Publish the plan",
            "due_date": due,
            "strategy_measure_id": measure.pk,
        },
    )
    commitment = Commitment.objects.get()
    assert response.status_code == 302 and commitment.strategy_measure_id == measure.pk
    # the committed institution's editor updates it; another organisation's editor cannot
    client.force_login(editor_of(verified_org()))
    update = reverse("dialogue:commitment_update", kwargs={"pk": commitment.pk})
    assert client.get(update).status_code == 404
    client.force_login(editor_of(institution))
    response = client.post(
        update,
        {
            "what": "Publish the plan",
            "due_date": due,
            "status": "in_progress",
            "evidence_links": "https://gov.example/plan",
            "strategy_measure_id": measure.pk,
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    response = client.post(update, {"what": "Publish the plan", "due_date": due, "status": "late"})
    assert response.status_code == 400
    response = client.get(
        reverse("dialogue:tracker"), {"institution": institution.slug, "status": "in_progress"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Publish the plan" in html
    # the Strategy measure's page lists it
    html = client.get(reverse("transparency:measure_detail", kwargs={"code": measure.code})).content.decode()
    assert "Publish the plan" in html and event.title_en in html
    # and the institution's profile
    html = client.get(institution.get_absolute_url()).content.decode()
    assert "Publish the plan" in html


def test_overdue_commitment_is_marked_late_on_the_tracker(client, english):
    CommitmentFactory(what="Old promise", due_date=timezone.localdate() - timedelta(days=2))
    html = client.get(reverse("dialogue:tracker"), {"status": "late"}).content.decode()
    assert "Old promise" in html and "Late" in html


def test_comments_wait_for_moderation(client, english):
    commitment = CommitmentFactory()
    url = reverse("dialogue:commitment_detail", kwargs={"pk": commitment.pk})
    assert client.post(url, {"body": "hi"}).status_code == 302  # to the login
    client.force_login(factories.UserFactory())
    assert client.post(url, {"body": ""}).status_code == 400
    assert client.post(url, {"body": "Well done"}).status_code == 302
    assert "Well done" not in client.get(url).content.decode()
    client.force_login(factories.StaffFactory())
    comment = commitment.comments.get()
    moderation = reverse("dialogue:comment_moderation")
    assert "Well done" in client.get(moderation).content.decode()
    assert client.post(moderation, {"comment": "abc", "status": "approved"}).status_code == 302
    client.post(moderation, {"comment": comment.pk, "status": "approved"})
    assert "Well done" in client.get(url).content.decode()


def test_measure_page_works_without_dialogue_commitments(client):
    measure = strategy_measure()
    assert (
        client.get(reverse("transparency:measure_detail", kwargs={"code": measure.code})).status_code == 200
    )
