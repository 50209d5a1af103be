"""Volunteering in a real browser at 360 px: a person saves an opportunity and finds it in
their saved list; the expert of a closed expert request gives feedback (outcome, rating,
would work again) and the form is gone afterwards."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.helpers import scroll_width
from tests.volunteering.factories import OpportunityFactory, engagement
from volunteering.models import ExpertFeedback, SavedOpportunity
from volunteering.services import engagements

PHONE = {"width": 360, "height": 780}


def _page(browser, live_server, user, violations):
    context = browser.new_context(viewport=PHONE)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_save_an_opportunity_and_give_feedback_on_an_expert_request(reference_data, live_server, browser):
    base = live_server.url
    violations = []
    opportunity = OpportunityFactory(title="Help at the food bank")
    person = factories.UserFactory(preferred_language="en")
    page = _page(browser, live_server, person, violations)
    page.goto(f"{base}/en/volunteering/opportunities/{opportunity.pk}/")
    page.get_by_role("button", name="Save for later").click()
    expect(page.get_by_role("button", name="Saved ★ Remove")).to_be_visible()
    page.goto(f"{base}/en/volunteering/me/saved/")
    expect(page.get_by_role("link", name="Help at the food bank")).to_be_visible()
    assert SavedOpportunity.objects.filter(user=person, opportunity=opportunity).exists()

    request = OpportunityFactory(kind="expert_request", expertise="law", brief="Statute review")
    eng, editor, expert = engagement(request)
    engagements.engagement_end(actor=editor, engagement=eng, completed=True)
    page = _page(browser, live_server, expert, violations)
    page.goto(f"{base}/en/volunteering/engagements/{eng.pk}/")
    page.get_by_label("Partly solved").check()
    page.get_by_label("Rating").select_option("4")
    page.get_by_label("I would work together again").check()
    page.get_by_role("button", name="Send the feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the feedback")).to_have_count(0)
    feedback = ExpertFeedback.objects.get()
    assert (feedback.side, feedback.outcome, feedback.rating, feedback.would_work_again) == (
        "expert",
        "partly",
        4,
        True,
    )
    assert scroll_width(page) <= 360
    assert violations == []
