"""The academy's completion flow in a real browser at phone size (360 px): the facilitator
shows the session's QR code, the participant opens it and checks in, marks their project
finished, turns it into a grant application draft in one step, downloads the certificate
and anyone verifies it publicly."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from academy.models import Attendance
from academy.services import running
from core.models import Certificate
from grants.models import Application
from tests import factories
from tests.academy.factories import make_cohort, participant, running_session
from tests.grants.factories import CallFactory
from tests.helpers import scroll_width

SCREENS = Path("/tmp/screens")


def _context(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    if user is not None:
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
    assert scroll_width(page) <= 360


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_in_by_qr_finish_project_grant_draft_certificate(reference_data, live_server, browser):
    base = live_server.url
    cohort = make_cohort(completion_min_attendance=100)
    facilitator = factories.UserFactory(full_name="Besa Morina")
    cohort.facilitators.add(facilitator)
    session = running_session(cohort)
    member = participant(cohort, factories.UserFactory(full_name="Ardit Shala", preferred_language="en"))
    CallFactory(allow_organizations=False, allow_groups=True, allow_individuals=True)
    project = running.project_start(
        actor=member.applicant, cohort=cohort, data={"title": "Parku i lagjes", "issue": "Mungon një park."}
    )
    running.project_update(actor=member.applicant, project=project, data={"result": "120 të rinj."})
    problems = []

    # 1. The facilitator shows the session's QR code on a phone.
    facilitator_page = _page(_context(browser, live_server, facilitator), problems)
    facilitator_page.goto(f"{base}/en/academy/sessions/{session.pk}/attendance/")
    facilitator_page.get_by_role("link", name="Show the QR code").click()
    expect(facilitator_page.locator("svg.qr-code")).to_be_visible()
    link = facilitator_page.locator("a", has_text="/check-in/").get_attribute("href")
    _fits(facilitator_page)

    # 2. The participant opens the scanned link and checks in with one tap.
    page = _page(_context(browser, live_server, member.applicant), problems)
    page.goto(link.replace(link.split("/en/")[0], base))
    page.get_by_role("button", name="I am here").click()
    expect(page.get_by_text("You are marked present. Thank you!")).to_be_visible()
    _fits(page)
    assert Attendance.objects.filter(session=session, participant=member, present=True).exists()

    # 3. They mark the project finished and turn it into a grant application draft.
    page.goto(f"{base}/en/academy/projects/{project.pk}/")
    page.get_by_role("button", name="Mark the project finished").click()
    expect(page.get_by_text("The project is marked finished.")).to_be_visible()
    page.get_by_role("button", name="Turn into a grant application draft").click()
    expect(page.get_by_text("A pre-filled draft was created")).to_be_visible()
    application = Application.objects.get(applicant=member.applicant)
    assert f"/applications/{application.pk}/edit/" in page.url and application.title == "Parku i lagjes"
    _fits(page)

    # 4. The certificate downloads; anyone verifies its code publicly.
    page.goto(f"{base}/en/academy/cohorts/{cohort.pk}/sessions/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Certificate of completion (PDF)").click()
    assert download.value.suggested_filename.startswith("certificate-")
    certificate = Certificate.objects.get(holder=member.applicant)
    public = _page(_context(browser, live_server), problems)
    public.goto(f"{base}/en/verify/{certificate.code}/")
    expect(public.get_by_text("Ardit Shala")).to_be_visible()
    expect(public.get_by_text("attended 100% of the sessions")).to_be_visible()
    _fits(public)
    SCREENS.mkdir(exist_ok=True)
    public.screenshot(path=str(SCREENS / "academy_certificate_verify_360.png"), full_page=True)
    assert problems == []
