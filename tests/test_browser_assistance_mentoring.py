"""A mentoring series in a real browser at 360 px (issue 17): staff open a series between a
fundraising mentor and an organisation and plan two sessions; the mentor logs one as held with
notes and next steps; the organisation's editor sees the progress (1 of 2 held, the next
session) and the gifts the organisation received since the mentoring started (giving tracker);
a member of another organisation gets a 404."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from assistance.models import MentoringSeries
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import ExpertFactory
from tests.giving.factories import GivingRecordFactory
from tests.helpers import scroll_width

PHONE = {"width": 360, "height": 780}


def _phone(browser, live_server, user, errors):
    """A 360 px page signed in as `user` that notes every console error and script failure."""
    context = browser.new_context(viewport=PHONE)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def _fits(page):
    assert scroll_width(page) <= PHONE["width"], page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_plan_the_mentor_logs_the_organisation_follows(reference_data, live_server, browser):
    base = live_server.url
    today = timezone.localdate()
    started = today - timedelta(days=30)
    org = factories.OrganizationFactory(name="Zëri i Grave Pejë")
    editor = factories.UserFactory(full_name="Drita Berisha")
    Membership.objects.create(organization=org, user=editor, role=Membership.Role.EDITOR)
    outsider = factories.UserFactory()
    Membership.objects.create(
        organization=factories.OrganizationFactory(), user=outsider, role=Membership.Role.EDITOR
    )
    staff = factories.StaffFactory(full_name="Arta (KCSF)")
    mentor = ExpertFactory(
        user=factories.UserFactory(full_name="Nikola Stanković"), categories=["fundraising"]
    )
    # The giving tracker: one verified gift since the start counts; an older one, and one not
    # yet verified, do not.
    GivingRecordFactory(
        recipient_organization=org, verified=True, date=today - timedelta(days=10), amount=Decimal("1250")
    )
    GivingRecordFactory(
        recipient_organization=org, verified=True, date=started - timedelta(days=5), amount=Decimal("900")
    )
    GivingRecordFactory(recipient_organization=org, date=today - timedelta(days=3), amount=Decimal("400"))
    errors: list[str] = []

    # 1. Staff open the series and plan two sessions.
    page = _phone(browser, live_server, staff, errors)
    page.goto(f"{base}/en/assistance/mentoring/")
    page.get_by_role("link", name="Open a mentoring series").click()
    expect(page.locator("#id_mentor")).to_be_visible()
    _fits(page)
    page.locator("#id_mentor").select_option(str(mentor.pk))
    page.locator("#id_organization").select_option(str(org.pk))
    page.locator("#id_topic").fill("Fundraising plan for the year")
    page.locator("#id_goal").fill("Three sources of income and a diaspora campaign before summer.")
    page.locator("#id_started_on").fill(started.isoformat())
    page.get_by_role("button", name="Open the series").click()
    expect(page.get_by_role("heading", name="Fundraising plan for the year")).to_be_visible()
    series = MentoringSeries.objects.get()
    assert (series.mentor, series.organization, series.started_on) == (mentor, org, started)
    for day, topic in (
        (today - timedelta(days=7), "Sources of income"),
        (today + timedelta(days=7), "Local businesses"),
    ):
        page.get_by_role("link", name="Plan a session").click()
        expect(page.locator("#id_planned_on")).to_be_visible()
        _fits(page)
        page.locator("#id_planned_on").fill(day.isoformat())
        page.locator("#id_topic").fill(topic)
        page.locator("#id_goals").fill(f"Goals: {topic.lower()}.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The session was added to the plan.")).to_be_visible()
    expect(page.get_by_text("0 of 2 sessions held")).to_be_visible()
    _fits(page)

    # 2. The mentor logs the first session as held, with notes and next steps.
    page = _phone(browser, live_server, mentor.user, errors)
    page.goto(f"{base}/en/assistance/mentoring/")
    page.get_by_role("link", name="Fundraising plan for the year").click()
    page.get_by_role("link", name="Log the session").first.click()
    expect(page.get_by_role("heading", name="Log the session")).to_be_visible()
    expect(page.get_by_text("Sources of income", exact=True)).to_be_visible()
    _fits(page)
    page.locator("#id_held_on").fill((today - timedelta(days=6)).isoformat())
    page.locator("#id_notes").fill("Grants, membership fees and small gifts are the three sources.")
    page.locator("#id_next_steps").fill("List the diaspora contacts before the next session.")
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("The session was logged; the organisation sees the notes.")).to_be_visible()
    first, second = series.sessions.order_by("planned_on")
    assert first.held_on == today - timedelta(days=6) and first.logged_by == mentor.user
    assert second.held_on is None

    # 3. The organisation's editor follows the progress and the gifts since the start.
    page = _phone(browser, live_server, editor, errors)
    page.goto(f"{base}/en/assistance/mentoring/")
    expect(page.get_by_text("1 of 2 sessions held")).to_be_visible()
    page.get_by_role("link", name="Fundraising plan for the year").click()
    expect(page.get_by_text("1 of 2 sessions held")).to_be_visible()
    expect(page.get_by_text("Next session:")).to_contain_text("Local businesses")
    expect(page.get_by_text("Grants, membership fees and small gifts are the three sources.")).to_be_visible()
    expect(page.get_by_text("List the diaspora contacts before the next session.")).to_be_visible()
    expect(page.get_by_text("€1,250.00")).to_be_visible()
    expect(page.get_by_text("1 verified gift in the giving tracker")).to_be_visible()
    expect(page.get_by_role("link", name="Log the session")).to_have_count(0)
    expect(page.get_by_role("link", name="Plan a session")).to_have_count(0)
    _fits(page)

    # 4. A member of another organisation: no such page.
    page = _phone(browser, live_server, outsider, errors)
    response = page.goto(f"{base}/en/assistance/mentoring/{series.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{base}/en/assistance/mentoring/")
    expect(page.get_by_text("No mentoring series yet.")).to_be_visible()

    # A 404 is logged by the browser as a failed resource; nothing else may be.
    assert [e for e in errors if "404" not in e] == []
