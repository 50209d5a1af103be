"""The page's `#htmx-error` box (static/js/portal.js) tells the outcome of the latest htmx
request only: a plain-text refusal shows its own sentence, any other error the box's own
message (never the sentence of an earlier refusal), and a request that succeeds hides it."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section

DEFAULT = "That did not work. Please reload the page and try again."


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_error_box_shows_only_the_latest_outcome(reference_data, live_server, browser):
    consultation = ConsultationFactory()
    section = consultation_section(consultation)
    comment = consultation_comment(section)
    supporter = factories.UserFactory()

    client = Client()
    client.force_login(supporter)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)

    # The support button's answers, in turn: a plain-text refusal, a server error page, a
    # second refusal, and then the real view (which succeeds).
    answers = [
        {"status": 403, "content_type": "text/plain; charset=utf-8", "body": "First refusal."},
        {"status": 500, "content_type": "text/html; charset=utf-8", "body": "<h1>Server error</h1>"},
        {"status": 429, "content_type": "text/plain; charset=utf-8", "body": "Too many at once."},
    ]

    def answer(route):
        if answers:
            route.fulfill(**answers.pop(0))
        else:
            route.continue_()

    page.route("**/support/**", answer)
    page.goto(live_server.url + consultation.get_absolute_url().replace("/sq/", "/en/", 1))
    box = page.locator("#htmx-error")
    button = page.locator(f"#support-{comment.pk} button")
    expect(box).to_be_hidden()

    button.click()
    expect(box).to_be_visible()
    expect(box).to_have_text("First refusal.")

    button.click()
    expect(box).to_have_text(DEFAULT)

    button.click()
    expect(box).to_have_text("Too many at once.")

    button.click()
    expect(page.locator(f"#support-{comment.pk} .badge")).to_be_visible()
    expect(box).to_be_hidden()
