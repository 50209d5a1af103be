"""The Leadership Academy in a real browser at phone size (360 px): a young person checks
eligibility, starts an application, saves the draft and submits it; staff select them;
they confirm the place; the facilitator takes attendance with one tap."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from academy.models import Attendance, CohortApplication
from tests import factories
from tests.academy.factories import born_aged, make_cohort, municipality, running_session
from tests.helpers import scroll_width

SCREENS = Path("/tmp/screens")


def _context(browser, live_server, user):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def _page(context, problems):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return page


def _fits(page):
    """Nothing wider than the phone's screen."""
    assert scroll_width(page) <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_apply_select_confirm_attend(reference_data, live_server, browser):
    base = live_server.url
    cohort = make_cohort(places=1)
    youth = factories.UserFactory(full_name="Ardit Shala", preferred_language="en")
    staff = factories.StaffFactory()
    facilitator = factories.UserFactory(full_name="Besa Morina")
    cohort.facilitators.add(facilitator)
    session = running_session(cohort)
    problems = []

    # 1. The young person checks eligibility on the cohort's page, then starts.
    youth_context = _context(browser, live_server, youth)
    page = _page(youth_context, problems)
    page.goto(f"{base}/en/academy/")
    page.get_by_role("link", name=cohort.title_en).click()
    page.get_by_label("Date of birth").fill(born_aged(35, cohort.starts_on).isoformat())
    page.get_by_label("Municipality where you live").select_option(str(municipality().pk))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("this cohort is for people aged 16 to 29")).to_be_visible()
    page.get_by_label("Date of birth").fill(born_aged(20, cohort.starts_on).isoformat())
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("You can apply to this cohort.")).to_be_visible()
    _fits(page)
    page.get_by_role("button", name="Start my application").click()

    # 2. The draft saves; submitting an incomplete one says what is missing; then it goes.
    page.get_by_label("Motivation").fill("Dua të ndryshoj lagjen time.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft was saved.")).to_be_visible()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Fill in:")).to_be_visible()
    expect(page.get_by_label("Motivation")).to_have_value("Dua të ndryshoj lagjen time.")
    page.get_by_label("The community issue you care about").fill("Mungojnë hapësirat për të rinjtë.")
    page.get_by_label("Availability").fill("Fundjavat")
    page.get_by_label("Reference person", exact=True).fill("Vjosa Ademi")
    page.get_by_label("Reference person's phone or email").fill("+383 44 555 123")
    page.get_by_role("button", name="Submit the application").click()
    application = CohortApplication.objects.get(cohort=cohort, applicant=youth)
    expect(page.get_by_text(f"Your application {application.reference} was submitted.")).to_be_visible()
    _fits(page)

    # 3. Staff select them on the selection page.
    staff_page = _page(_context(browser, live_server, staff), problems)
    staff_page.goto(f"{base}/en/academy/staff/cohorts/{cohort.pk}/")
    staff_page.get_by_label("Decision").select_option("select")
    staff_page.get_by_role("button", name="Save the decisions").click()
    expect(staff_page.get_by_text("Decisions saved: 1 selected")).to_be_visible()
    _fits(staff_page)

    # 4. The young person confirms the place.
    page.goto(f"{base}/en/academy/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="You were selected!")).to_be_visible()
    page.get_by_role("button", name="Confirm my place").click()
    expect(page.get_by_text("Welcome to the Academy! Your place is confirmed.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == "confirmed"

    # 5. The facilitator takes attendance on a phone: one tap.
    facilitator_page = _page(_context(browser, live_server, facilitator), problems)
    facilitator_page.goto(f"{base}/en/academy/cohorts/{cohort.pk}/sessions/")
    facilitator_page.get_by_role("link", name="Attendance").click()
    facilitator_page.get_by_role("button", name="Mark present").click()
    expect(facilitator_page.get_by_role("button", name="Present")).to_be_visible()
    _fits(facilitator_page)
    assert Attendance.objects.filter(session=session, participant=application, present=True).exists()

    # 6. The participant sees the session as attended.
    page.goto(f"{base}/en/academy/cohorts/{cohort.pk}/sessions/")
    expect(page.get_by_text("Attended")).to_be_visible()
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "academy_sessions_360.png"), full_page=True)
    assert problems == []
