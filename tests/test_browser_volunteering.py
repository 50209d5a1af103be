"""Volunteering in a real browser at 360 px: a CSO editor posts and publishes an opportunity; a
diaspora expert (Serbian pages) finds it among their matches and applies; the CSO accepts; the
expert logs hours; the CSO confirms them; the expert downloads the certificate and anyone
verifies it on the public page; and the hours appear in the CSO's transparency report draft
of the year (pre-filled by `volunteering.selectors.transparency_prefill`)."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Certificate
from organizations.models import Membership, Organization
from tests import factories
from tests.helpers import scroll_width
from tests.transparency.factories import TransparencyReportFactory
from tests.volunteering.factories import ProfileFactory, skill
from transparency.models import TransparencyReport
from volunteering.models import Application, Engagement, HoursEntry, Opportunity

PHONE = {"width": 360, "height": 780}


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _page(browser, live_server, user, violations):
    context = browser.new_context(viewport=PHONE)
    if user is not None:
        _log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_post_match_apply_accept_hours_certificate(reference_data, live_server, browser, tmp_path):
    base = live_server.url
    law = skill("legal-advice")
    org = factories.OrganizationFactory(
        name="Zëri i Grave Pejë", verification_status=Organization.Verification.VERIFIED
    )
    editor = factories.UserFactory(full_name="Drita Berisha")
    Membership.objects.create(organization=org, user=editor, role=Membership.Role.EDITOR)
    # Last year's published report (40,000 EUR of income): this year's is the full form, whose
    # "People" section asks for the volunteers and their hours. It said 12 volunteers.
    TransparencyReportFactory(organization=org, year=timezone.localdate().year - 1, published=True)
    expert_user = factories.UserFactory(full_name="Milica Jovanović", preferred_language="sr-latn")
    ProfileFactory(
        user=expert_user,
        skills=[law],
        languages={"sr": 4, "en": 3},
        work_mode="remote",
        municipality=None,
        country="DE",
        time_zone="Europe/Berlin",
        utc_offset=60,
        expertise="law",
    )
    violations = []

    # 1. The CSO posts an expert request and publishes it.
    cso = _page(browser, live_server, editor, violations)
    cso.goto(f"{base}/en/volunteering/organization/{org.slug}/new/")
    cso.locator("select[name=kind]").select_option("expert_request")
    cso.locator("input[name=title]").fill("Review of our statute")
    cso.locator("textarea[name=description]").fill("Our statute needs a legal check before the assembly.")
    cso.locator("input[name=remote]").check()
    cso.locator("input[name=places]").fill("1")
    cso.locator("input[name=hours_per_week]").fill("2")
    cso.locator("textarea[name=brief]").fill("Five pages, in Albanian and English.")
    cso.locator("select[name=expertise]").select_option("law")
    cso.locator("select[name=form]").select_option("document_review")
    cso.locator("select[name=must]").select_option(str(law.pk))
    cso.locator("input[name=languages][value=sr]").check()
    cso.locator("input[name=languages][value=en]").check()
    cso.get_by_role("button", name="Save").click()
    expect(cso.get_by_role("heading", name="Review of our statute")).to_be_visible()
    cso.get_by_role("button", name="Publish").click()
    opportunity = Opportunity.objects.get(title="Review of our statute")
    expect(cso.locator(".badge", has_text="Open")).to_be_visible()
    assert Opportunity.objects.get(pk=opportunity.pk).status == "open"

    # 2. The expert finds it among their matches (Serbian pages) and applies.
    expert = _page(browser, live_server, expert_user, violations)
    expert.goto(f"{base}/sr-latn/volunteering/me/matches/")
    card = expert.locator("article", has_text="Review of our statute")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Srpski")  # the explanation, in the viewer's language
    card.get_by_role("link", name="Review of our statute").click()
    expert.locator("form[action$='/apply/'] textarea[name=message]").fill("Rado ću pomoći.")
    expert.locator("form[action$='/apply/'] button[type=submit]").click()
    expect(expert.locator(".alert-success")).to_be_visible()
    application = Application.objects.get(opportunity=opportunity)
    assert application.status == "applied" and application.message == "Rado ću pomoći."

    # 3. The CSO accepts, with a message.
    cso.goto(f"{base}/en/volunteering/opportunities/{opportunity.pk}/applicants/")
    cso.locator(f"#msg-{application.pk}").fill("Welcome, thank you!")
    cso.get_by_role("button", name="Accept").click()
    expect(cso.get_by_text(expert_user.email)).to_be_visible()  # contact shown after acceptance
    engagement = Engagement.objects.get(application=application)

    # 4. The expert logs hours on the engagement.
    expert.goto(f"{base}/sr-latn/volunteering/engagements/{engagement.pk}/")
    today = timezone.localdate()
    expert.locator("input[name=date]").fill(today.isoformat())
    expert.locator("input[name=hours]").fill("3")
    expert.locator("input[name=description]").fill("Pregled statuta")
    expert.locator("form[action$='/hours/'] button[type=submit]").click()
    expect(expert.get_by_text("Pregled statuta")).to_be_visible()
    entry = HoursEntry.objects.get(engagement=engagement)

    # 5. The CSO confirms them.
    cso.goto(f"{base}/en/volunteering/engagements/{engagement.pk}/")
    cso.get_by_role("button", name="Confirm").click()
    expect(cso.get_by_text("Confirmed hours: 3")).to_be_visible()
    assert HoursEntry.objects.get(pk=entry.pk).status == "confirmed"

    # 6. The expert downloads the certificate; anyone verifies it.
    expert.goto(f"{base}/sr-latn/volunteering/engagements/{engagement.pk}/")
    with expert.expect_download() as download_info:
        expert.locator(f"a[href$='/engagements/{engagement.pk}/certificate.pdf']").click()
    path = tmp_path / "certificate.pdf"
    download_info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    certificate = Certificate.objects.get()
    assert certificate.language == "sr-latn" and certificate.holder_name == "Milica Jovanović"

    visitor = _page(browser, live_server, None, violations)
    visitor.goto(f"{base}/en/verify/")
    visitor.locator("input[name=code]").fill(certificate.code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Verify").click()
    expect(visitor.get_by_text("Valid certificate")).to_be_visible()
    expect(visitor.get_by_text("Milica Jovanović")).to_be_visible()
    expect(visitor.get_by_text("Zëri i Grave Pejë", exact=False)).to_be_visible()
    assert expert_user.email not in visitor.content()
    # Nothing is wider than the phone's screen.
    assert scroll_width(visitor) <= PHONE["width"] + 1

    # 7. The hours appear in the CSO's transparency report draft of the year: one volunteer and
    # the 3 confirmed hours (the portal's figures win over last year's report).
    year = today.year
    cso.goto(f"{base}/en/transparency/reports/organization/{org.slug}/")
    cso.get_by_label("Year").select_option(str(year))
    cso.get_by_role("button", name="Start the report").click()
    expect(cso.get_by_role("heading", name=f"Transparency report {year}")).to_be_visible()
    report = TransparencyReport.objects.get(organization=org, year=year)
    assert (report.form_size, report.volunteers, report.volunteer_hours) == ("full", 1, 3)
    cso.goto(f"{base}/en/transparency/reports/edit/{report.pk}/people/")
    expect(cso.get_by_label("Volunteers", exact=True)).to_have_value("1")
    expect(cso.get_by_label("Volunteer hours")).to_have_value("3")
    expect(cso.get_by_text("From confirmed volunteer hours in the portal: 3")).to_be_visible()
    assert scroll_width(cso) <= PHONE["width"] + 1
    assert not violations, violations
