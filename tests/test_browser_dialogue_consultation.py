"""A public consultation in a real browser at phone size (360 px): staff create it with two
sections and open it; a citizen comments on a section (in Albanian); another supports the
comment (in Serbian, with htmx); staff answer it and download the report of comments and
answers (XLSX), whose rows hold the comment and its answer."""

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from dialogue.models import CommentSupport, Consultation, ConsultationComment
from organizations.models import Organization
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
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    _log_in(context, live_server, user)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    return page


def _no_sideways_scroll(page):
    assert scroll_width(page) <= PHONE["width"] + 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_consultation_comment_support_answer_and_report(reference_data, live_server, browser, tmp_path):
    base = live_server.url
    problems: list[str] = []
    SCREENS.mkdir(exist_ok=True)
    staff = factories.StaffFactory(full_name="Arta KCSF")
    institution = factories.OrganizationFactory(
        name="Komuna e Prizrenit", kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number=""
    )
    citizen = factories.UserFactory(full_name="Drita Berisha")
    supporter = factories.UserFactory(full_name="Milan Petrović")

    # 1. Staff create the consultation, add two sections and open it.
    page = _phone(browser, live_server, staff, problems)
    page.goto(f"{base}/en/dialogue/consultations/manage/")
    page.get_by_role("link", name="New public consultation").click()
    fmt = "%Y-%m-%dT%H:%M"
    now = timezone.localtime()
    page.locator("#id_title_sq").fill("Plani për hapësirat publike")
    page.locator("#id_title_sr").fill("Plan javnih prostora")
    page.locator("#id_title_en").fill("Public spaces plan")
    page.locator("#id_introduction_sq").fill("Komentoni planin pjesë për pjesë.")
    page.locator("#id_organization").select_option(str(institution.pk))
    page.locator("#id_opens_at").fill((now - timedelta(hours=1)).strftime(fmt))
    page.locator("#id_closes_at").fill((now + timedelta(days=14)).strftime(fmt))
    _no_sideways_scroll(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("h1")).to_have_text("New section")
    page.locator("#id_heading_sq").fill("Parqet e lagjeve")
    page.locator("#id_heading_en").fill("Neighbourhood parks")
    page.locator("#id_body_sq").fill("Çdo lagje merr një park.")
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator("#id_position")).to_have_value("2")
    page.locator("#id_heading_sq").fill("Financimi")
    page.locator("#id_body_sq").fill("2% e buxhetit kapital.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Publish and open for comments").click()
    expect(page.locator(".alert-success")).to_contain_text("Open for comments")
    consultation = Consultation.objects.get()
    assert consultation.status == "open" and consultation.sections.count() == 2
    assert consultation.organization == institution
    url = consultation.get_absolute_url().replace("/sq/", "/{lang}/", 1)

    # 2. A citizen comments on the first section, in Albanian.
    first = consultation.sections.order_by("position").first()
    citizen_page = _phone(browser, live_server, citizen, problems)
    citizen_page.goto(base + url.format(lang="sq"))
    _no_sideways_scroll(citizen_page)
    citizen_page.locator(f"#id_s{first.pk}_body").fill("Shtoni ndriçim dhe ulëse për të moshuarit.")
    citizen_page.locator(f"#section-{first.pk} form button[type=submit]").click()
    expect(citizen_page.locator(f"#section-{first.pk} article")).to_contain_text("Shtoni ndriçim")
    comment = ConsultationComment.objects.get()
    assert comment.author == citizen and comment.section == first
    # her own comment has no support button
    expect(citizen_page.locator(f"#support-{comment.pk} button")).to_have_count(0)

    # 3. Another person supports it, in Serbian (htmx swaps the button).
    supporter_page = _phone(browser, live_server, supporter, problems)
    supporter_page.goto(base + url.format(lang="sr-latn"))
    supporter_page.locator(f"#support-{comment.pk} button").click()
    expect(supporter_page.locator(f"#support-{comment.pk} .badge")).to_be_visible()
    assert CommentSupport.objects.filter(comment=comment, user=supporter).count() == 1
    supporter_page.screenshot(path=str(SCREENS / "consultation-sr-latn.png"), full_page=True)
    _no_sideways_scroll(supporter_page)

    # 4. Staff answer it: partly accepted, with a reason.
    page.goto(base + url.format(lang="en"))
    expect(page.locator("#answered-count")).to_have_text("answered 0 of 1")
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Answer").click()
    page.get_by_label("Partly accepted").check()
    page.locator("#id_reason").fill("Benches yes; lighting comes with the 2028 budget.")
    page.get_by_role("button", name="Publish the answer").click()
    expect(page.locator(f"#comment-{comment.pk} .answer")).to_contain_text("Partly accepted")
    expect(page.locator("#answered-count")).to_have_text("answered 1 of 1")
    comment.refresh_from_db()
    assert comment.verdict == "partly" and comment.answered_by == staff

    # 5. The report of comments and answers is made in the background and downloads.
    page.get_by_role("button", name="XLSX").click()
    download_link = page.get_by_role("link", name="Download (XLSX)")
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        download_link.click()
    data = Path(download_info.value.path()).read_bytes()
    sheet = load_workbook(BytesIO(data)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "Shtoni ndriçim" in text and "Partly accepted" in text and "2028 budget" in text
    page.screenshot(path=str(SCREENS / "consultation-report-en.png"), full_page=True)
    _no_sideways_scroll(page)
    assert not problems, problems
