"""Dialogue in a real browser at phone size (360 px): staff create an event with two
sectors and publish it; two people register from two sectors and get their code and QR
code; one is checked in at the door by the QR code's value; a commitment is recorded; the
committed institution's editor updates it; the public tracker shows it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Sector
from dialogue.choices import CommitmentStatus, RegistrationStatus
from dialogue.models import Commitment, Event, Registration
from organizations.models import Membership, Organization
from tests import factories
from tests.helpers import scroll_width

SCREENS = Path("/tmp/screens")
PHONE = {"width": 360, "height": 780}


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _phone(browser, live_server, user, problems):
    context = browser.new_context(viewport=PHONE)
    _log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return page


def _no_sideways_scroll(page):
    assert scroll_width(page) <= PHONE["width"] + 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_event_registration_check_in_and_commitment(reference_data, live_server, browser):
    base = live_server.url
    problems: list[str] = []
    staff = factories.StaffFactory(full_name="Arta KCSF")
    institution = factories.OrganizationFactory(
        name="Komuna e Vitisë",
        kind=Organization.Kind.PUBLIC_INSTITUTION,
        registration_number="",
        verification_status="verified",
    )
    official = factories.UserFactory(full_name="Zyrtari Komunal")
    Membership.objects.create(organization=institution, user=official, role=Membership.Role.EDITOR)
    citizen = factories.UserFactory(full_name="Milan Petrović")
    cso_person = factories.UserFactory(full_name="Drita Berisha")

    # 1. Staff create the event with two invited sectors and one agenda item, then publish it.
    page = _phone(browser, live_server, staff, problems)
    page.goto(f"{base}/en/dialogue/organise/new/")
    start = (timezone.localtime() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    fmt = "%Y-%m-%dT%H:%M"
    page.locator("#id_kind").select_option("roundtable")
    page.locator("#id_title_sq").fill("Tryezë për buxhetin")
    page.locator("#id_title_en").fill("Budget roundtable")
    page.locator("#id_description_sq").fill("Diskutim i hapur.")
    page.locator("#id_topic").select_option(str(Sector.objects.order_by("ordering").first().pk))
    page.locator("#id_starts_at").fill(start.strftime(fmt))
    page.locator("#id_ends_at").fill((start + timedelta(hours=3)).strftime(fmt))
    page.locator("#id_place").fill("Salla e Kuvendit")
    page.locator("#id_registration_opens_at").fill((timezone.localtime() - timedelta(hours=1)).strftime(fmt))
    page.locator("#id_registration_closes_at").fill(start.strftime(fmt))
    page.locator("#id_sectors-0-audience").select_option("citizens")
    page.locator("#id_sectors-0-places").fill("20")
    page.locator("#id_sectors-1-audience").select_option("cso")
    page.locator("#id_sectors-1-places").fill("1")
    page.locator("#id_agenda-0-starts_at").fill("10:00")
    page.locator("#id_agenda-0-title").fill("Opening")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Budget roundtable")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event is now “Published”")).to_be_visible()
    event = Event.objects.get()
    _no_sideways_scroll(page)

    # 2. Two people register from two sectors; each gets a code and a QR code.
    codes = {}
    for person, sector_label, org_name in (
        (citizen, "Citizens", ""),
        (cso_person, "Civil society organisations", "Zëri i të Rinjve"),
    ):
        visitor = _phone(browser, live_server, person, problems)
        visitor.goto(f"{base}/en/dialogue/events/{event.pk}/")
        visitor.get_by_role("link", name="Register").click()
        visitor.get_by_label(sector_label).check()
        if org_name:
            visitor.get_by_label("Or type its name").fill(org_name)
        visitor.get_by_role("button", name="Register").click()
        expect(visitor.get_by_role("heading", name="Your registration")).to_be_visible()
        expect(visitor.locator(".dialogue-qr svg")).to_be_visible()
        codes[person.pk] = visitor.locator("#registration-code").inner_text().strip()
        _no_sideways_scroll(visitor)
        SCREENS.mkdir(exist_ok=True)
        visitor.screenshot(path=str(SCREENS / f"dialogue-ticket-{person.pk}.png"), full_page=True)
    assert Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED).count() == 2

    # 3. At the door: the QR code's value is read into the check-in box, one tap.
    page.goto(f"{base}/en/dialogue/events/{event.pk}/check-in/")
    page.locator("#code").fill(codes[cso_person.pk])
    page.locator("#code-form").get_by_role("button", name="Check in").click()
    expect(page.get_by_text("Drita Berisha is checked in.")).to_be_visible()
    assert Registration.objects.get(user=cso_person).status == RegistrationStatus.ATTENDED
    page.screenshot(path=str(SCREENS / "dialogue-check-in.png"), full_page=True)
    page.goto(f"{base}/en/dialogue/events/{event.pk}/")
    expect(page.get_by_role("row", name="Civil society organisations")).to_contain_text("1")

    # 4. Staff record a commitment of the municipality.
    page.get_by_role("link", name="Record a commitment").click()
    page.get_by_label("Committed organisation or institution").select_option(institution.slug)
    page.get_by_label("What was committed").fill("Publish the budget draft for consultation")
    page.get_by_label("By when").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record the commitment").click()
    expect(page.get_by_text("The commitment is recorded.")).to_be_visible()
    commitment = Commitment.objects.get()

    # 5. The municipality's editor updates it.
    official_page = _phone(browser, live_server, official, problems)
    official_page.goto(f"{base}/en/dialogue/commitments/{commitment.pk}/")
    official_page.get_by_role("link", name="Update this commitment").click()
    official_page.get_by_label("Status").select_option("in_progress")
    official_page.get_by_label("Evidence links").fill("https://kk.example/buxheti")
    official_page.get_by_role("button", name="Save").click()
    expect(official_page.get_by_text("The commitment is updated.")).to_be_visible()
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS

    # 6. The public tracker shows it, by institution.
    public = browser.new_context(viewport=PHONE).new_page()
    public.goto(f"{base}/en/dialogue/commitments/?institution={institution.slug}")
    expect(public.get_by_text("Publish the budget draft for consultation")).to_be_visible()
    expect(public.locator(".list-group-item .badge")).to_have_text("In progress")
    _no_sideways_scroll(public)
    public.screenshot(path=str(SCREENS / "dialogue-tracker.png"), full_page=True)
    assert not problems, problems
    # the confirmation emails went out with the calendar file
    from django.core import mail

    assert any(a[0] == f"event-{event.pk}.ics" for m in mail.outbox for a in m.attachments)
