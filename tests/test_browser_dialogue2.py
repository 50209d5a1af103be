"""Dialogue's partnerships and trust survey in a real browser at phone size (360 px): an
editor of a CSO records a partnership with a public institution (a one-sector try is
refused with the message), it shows on the public page and on the institution's profile;
attendees answer the trust survey and, from five answers, the event page shows the
barometer."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dialogue.choices import Audience, RegistrationStatus, SurveyMoment
from dialogue.models import TRUST_FIELDS, EventSector, Partnership, Registration, TrustAnswer
from organizations.models import Membership, Organization
from tests import factories
from tests.dialogue.factories import EventFactory
from tests.helpers import scroll_width

SCREENS = Path("/tmp/screens")
PHONE = {"width": 360, "height": 780}


def _phone(browser, live_server, user, problems):
    context = browser.new_context(viewport=PHONE)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return page


def _no_sideways_scroll(page):
    assert scroll_width(page) <= PHONE["width"] + 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partnership_and_trust_survey(reference_data, live_server, browser):
    base = live_server.url
    problems: list[str] = []
    cso = factories.OrganizationFactory(name="Zëri i Qytetarëve", verification_status="verified")
    other_cso = factories.OrganizationFactory(name="Rrjeti i Grave", verification_status="verified")
    institution = factories.OrganizationFactory(
        name="Komuna e Vitisë",
        kind=Organization.Kind.PUBLIC_INSTITUTION,
        registration_number="",
        verification_status="verified",
    )
    editor = factories.UserFactory(full_name="Drita Berisha")
    Membership.objects.create(organization=cso, user=editor, role=Membership.Role.EDITOR)

    # 1. The editor tries a one-sector partnership (refused), then one with the institution.
    page = _phone(browser, live_server, editor, problems)
    page.goto(f"{base}/en/dialogue/partnerships/new/")
    page.locator("#id_name").fill("Buxhet i hapur")
    page.locator("#id_goal").fill("Buxheti publikohet për konsultim.")
    page.locator("#id_started_on").fill(timezone.localdate().isoformat())
    page.locator("#id_members").select_option([str(cso.pk), str(other_cso.pk)])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("at least two different kinds")
    _no_sideways_scroll(page)
    page.locator("#id_members").select_option([str(cso.pk), str(institution.pk)])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Buxhet i hapur")).to_be_visible()
    _no_sideways_scroll(page)
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "dialogue_partnership_360.png"), full_page=True)
    assert Partnership.objects.get().members.count() == 2
    page.goto(f"{base}{institution.get_absolute_url()}".replace("/sq/", "/en/"))
    expect(page.get_by_role("link", name="Buxhet i hapur")).to_be_visible()

    # 2. Attendees of a running event: four answers in the data, the fifth in the browser.
    start = timezone.now() - timedelta(hours=1)
    event = EventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration_opens_at=start - timedelta(days=3),
        registration_closes_at=start - timedelta(hours=1),
    )
    sector = EventSector.objects.create(event=event, audience=Audience.CITIZENS, places=20)
    for n in range(4):
        user = factories.UserFactory()
        registration = Registration.objects.create(
            event=event,
            sector=sector,
            user=user,
            name=f"P{n}",
            email=user.email,
            status=RegistrationStatus.ATTENDED,
        )
        TrustAnswer.objects.create(
            event=event,
            registration=registration,
            moment=SurveyMoment.BEFORE,
            **dict.fromkeys(TRUST_FIELDS.values(), 3),
        )
    person = factories.UserFactory()
    Registration.objects.create(
        event=event,
        sector=sector,
        user=person,
        name="Milan",
        email=person.email,
        status=RegistrationStatus.ATTENDED,
    )
    page = _phone(browser, live_server, person, problems)
    page.goto(f"{base}/en/dialogue/events/{event.pk}/")
    expect(page.locator("#trust-h")).to_have_count(0)
    page.get_by_role("link", name="Answer: Before the event").click()
    for audience in Audience.values:
        page.locator(f"input[name='{audience}'][value='5']").check()
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#trust-h")).to_be_visible()
    _no_sideways_scroll(page)
    page.screenshot(path=str(SCREENS / "dialogue_trust_360.png"), full_page=True)
    assert TrustAnswer.objects.filter(event=event).count() == 5
    page.goto(f"{base}/en/dialogue/trust/")
    expect(page.get_by_role("link", name=event.title_en)).to_be_visible()
    assert not problems, problems
