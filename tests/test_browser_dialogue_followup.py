"""After an event, in a real browser at phone size (360 px): a person follows an event with the
Follow button (htmx); once it has ended, its organiser writes the minutes, adds a photo and
publishes; the person sees both on the event's page, and the daily digest (the task, called
directly) emails them that the minutes are published."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.models import DigestSubscription, Event, EventFollowUp, Follow
from tests import factories
from tests.dialogue.factories import EventFactory, editor_of, use_tmp_storage, verified_org
from tests.helpers import scroll_width
from tests.transparency.factories import png_bytes

PHONE = {"width": 360, "height": 780}


def _phone(browser, live_server, user, problems):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def _no_sideways_scroll(page):
    assert scroll_width(page) <= PHONE["width"] + 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_follow_an_event_then_see_its_minutes_and_photo(
    reference_data, live_server, browser, tmp_path, monkeypatch
):
    use_tmp_storage(tmp_path, monkeypatch)
    base = live_server.url
    problems: list[str] = []
    org = verified_org(name="Qendra Rinore Gjilan")
    organiser = editor_of(org)
    person = factories.UserFactory(full_name="Blerta Krasniqi", preferred_language="en")
    event = EventFactory(organization=org, title_en="Youth budget forum")

    # 1. The person follows the event from its page (htmx swaps the button).
    page = _phone(browser, live_server, person, problems)
    page.goto(f"{base}/en/dialogue/events/{event.pk}/")
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name="Following · Unfollow")).to_be_visible()
    assert Follow.objects.filter(user=person, kind="event", object_id=event.pk).exists()
    _no_sideways_scroll(page)
    page.goto(f"{base}/en/dialogue/following/")
    expect(page.get_by_role("link", name="Youth budget forum")).to_be_visible()
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your digest choice is saved.")).to_be_visible()
    assert DigestSubscription.objects.get(user=person).frequency == "daily"
    _no_sideways_scroll(page)

    # 2. The event ends; its organiser writes the minutes, adds a photo and publishes.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=4),
        ends_at=now - timedelta(hours=1),
        registration_opens_at=now - timedelta(days=5),
        registration_closes_at=now - timedelta(hours=5),
    )
    DigestSubscription.objects.filter(user=person).update(since=now - timedelta(minutes=5))
    organiser_page = _phone(browser, live_server, organiser, problems)
    organiser_page.goto(f"{base}/en/dialogue/events/{event.pk}/")
    organiser_page.get_by_role("link", name="Minutes, documents and photos").click()
    organiser_page.locator("#id_kind").select_option("minutes")
    organiser_page.locator("#id_body_en").fill("We agreed to publish the youth budget lines every quarter.")
    organiser_page.get_by_role("button", name="Save the text").click()
    expect(organiser_page.get_by_text("The text is saved.")).to_be_visible()
    organiser_page.locator("#id_photo-caption").fill("Young people at the forum")
    organiser_page.locator("#id_photo-file").set_input_files(
        files=[{"name": "forum.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    organiser_page.get_by_role("button", name="Add the photo").click()
    expect(organiser_page.get_by_text("The photo was added.")).to_be_visible()
    _no_sideways_scroll(organiser_page)
    organiser_page.get_by_role("button", name="Publish").click()
    expect(organiser_page.get_by_text("Published on the event's page.")).to_be_visible()
    assert EventFollowUp.objects.get(event=event).is_published

    # 3. The person sees the minutes and the photo on the event's page.
    page.goto(f"{base}/en/dialogue/events/{event.pk}/")
    expect(page.get_by_text("We agreed to publish the youth budget lines every quarter.")).to_be_visible()
    photo = page.get_by_role("img", name="Young people at the forum")
    expect(photo).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", photo.element_handle()) > 0  # the image loaded
    _no_sideways_scroll(page)

    # 4. The daily digest tells the person (the beat task, called directly).
    from dialogue.tasks import digests_send

    mail.outbox.clear()
    assert digests_send("daily") == 1
    [digest] = [m for m in mail.outbox if m.to == [person.email]]
    assert "Minutes published: “Youth budget forum”" in digest.body
    assert f"/en/dialogue/events/{event.pk}/" in digest.body
    assert not problems, problems
