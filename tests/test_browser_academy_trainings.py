"""CSO capacity trainings in a real browser at phone size (360 px): an editor registers two
of the organisation's staff for a training; staff mark them present with one tap each; after
the training the editor gives feedback, fills the organisation's self-assessment (baseline),
and builds a community map with two stakeholders and sees them on the grid. The map and the
training page fit the phone in Albanian and Serbian too."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from academy.models import SelfAssessment, Stakeholder, Training, TrainingAttendee, TrainingFeedback
from tests import factories
from tests.academy.training_factories import make_training, organization_with, questionnaire
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
def test_register_attend_feedback_assess_map(reference_data, live_server, browser):
    base = live_server.url
    training = make_training(phase="open", places=5)
    organization, editor = organization_with()
    staff = factories.StaffFactory()
    questions = questionnaire(areas=2, per_area=2)
    partner = factories.OrganizationFactory(name="Komuna e Pejës")
    problems = []

    # 1. The editor registers two of the organisation's staff.
    page = _page(_context(browser, live_server, editor), problems)
    page.goto(f"{base}/en/academy/trainings/")
    page.get_by_role("link", name="Fundraising for CSOs").click()
    page.get_by_role("link", name="Register your organisation").click()
    expect(page.get_by_label("Organisation")).to_have_value(str(organization.pk))
    page.get_by_label("Name 1", exact=True).fill("Arta Krasniqi")
    page.get_by_label("Email 1 (optional)").fill("arta@example.org")
    page.get_by_label("Name 2", exact=True).fill("Blerim Gashi")
    _fits(page)
    page.get_by_role("button", name="Save the registration").click()
    expect(page.get_by_text("Your organisation's registration was saved.")).to_be_visible()
    expect(page.get_by_text("Blerim Gashi")).to_be_visible()
    _fits(page)
    assert TrainingAttendee.objects.filter(training=training).count() == 2

    # 2. The training day: staff mark both present, one tap each.
    local = timezone.localtime()
    Training.objects.filter(pk=training.pk).update(
        registration_opens_at=local - timedelta(days=10),
        registration_closes_at=local - timedelta(days=1),
        starts_at=local.replace(hour=0, minute=1),
        ends_at=local.replace(hour=23, minute=58),
    )
    staff_page = _page(_context(browser, live_server, staff), problems)
    staff_page.goto(f"{base}/en/academy/staff/trainings/{training.pk}/")
    staff_page.get_by_role("link", name="Take attendance").click()
    staff_page.get_by_role("button", name="Mark present — Arta Krasniqi").click()
    expect(staff_page.get_by_role("button", name="Present — Arta Krasniqi")).to_be_visible()
    staff_page.get_by_role("button", name="Mark present — Blerim Gashi").click()
    expect(staff_page.get_by_role("button", name="Present — Blerim Gashi")).to_be_visible()
    _fits(staff_page)
    assert TrainingAttendee.objects.filter(training=training, present=True).count() == 2

    # 3. After the training the editor gives feedback (once).
    Training.objects.filter(pk=training.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    page.goto(f"{base}/en/academy/trainings/{training.pk}/")
    page.get_by_role("link", name="Give your feedback").click()
    for question, score in (
        ("The content was useful for our organisation", "5"),
        ("The facilitation was clear and engaging", "4"),
        ("We will apply what we learned", "5"),
    ):
        page.get_by_role("group", name=question).get_by_label(score, exact=True).check()
    page.get_by_label("Anything else you want to tell us").fill("Shumë praktike.")
    _fits(page)
    page.get_by_role("button", name="Send the feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    assert TrainingFeedback.objects.filter(training=training, author=editor).count() == 1

    # 4. The self-assessment: the baseline.
    page.get_by_role("link", name="The organisation's self-assessment").click()
    page.get_by_role("link", name="Fill in the baseline").click()
    for question in questions:
        page.get_by_role("group", name=question.text_en).get_by_label("3", exact=True).check()
    _fits(page)
    page.get_by_role("button", name="Send the self-assessment").click()
    expect(page.get_by_text("The self-assessment was saved.")).to_be_visible()
    expect(page.get_by_text("Opens on")).to_be_visible()
    assert SelfAssessment.objects.filter(organization=organization, kind="baseline").exists()

    # 5. The community map: two stakeholders, one from the registry, one typed; the grid.
    page.get_by_role("link", name="Community map").click()
    page.get_by_label("Kind").select_option("institution")
    page.get_by_label("An organisation from the registry").select_option(str(partner.pk))
    page.get_by_label("Interest (1–5)").select_option("4")
    page.get_by_label("Influence (1–5)").select_option("5")
    page.get_by_label("Relation").select_option("ally")
    page.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_text("The stakeholder was added to the map.")).to_be_visible()
    page.get_by_label("Kind").select_option("media")
    page.get_by_label("Or its name").fill("Radio Dukagjini")
    page.get_by_label("Interest (1–5)").select_option("2")
    page.get_by_label("Influence (1–5)").select_option("1")
    page.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_text("The stakeholder was added to the map.")).to_be_visible()
    manage = page.locator("section", has=page.get_by_role("heading", name="Manage closely"))
    expect(manage.get_by_text("Komuna e Pejës", exact=True)).to_be_visible()
    monitor = page.locator("section", has=page.get_by_role("heading", name="Monitor"))
    expect(monitor.get_by_text("Radio Dukagjini", exact=True)).to_be_visible()
    _fits(page)
    assert Stakeholder.objects.filter(community_map__organization=organization).count() == 2
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "academy_community_map_360.png"), full_page=True)

    # 6. The same pages fit the phone in Albanian and Serbian.
    for language in ("sq", "sr-latn"):
        page.goto(f"{base}/{language}/academy/organisations/{organization.pk}/community-map/")
        expect(page.locator(".community-grid")).to_be_visible()
        _fits(page)
        page.goto(f"{base}/{language}/academy/trainings/{training.pk}/")
        _fits(page)
    assert problems == []
