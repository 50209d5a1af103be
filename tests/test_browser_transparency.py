"""The yearly transparency report in a real browser: a CSO editor files the report of last
year from a draft pre-filled with the year before's published report (autosave, an inline
error, a document), staff publish it, the public report page shows it and the badge appears
in the CSO directory."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from core.models import Municipality
from organizations.models import Membership
from tests import factories
from tests.helpers import scroll_width
from tests.transparency.factories import BoardMemberFactory, TransparencyReportFactory, last_year, pdf_bytes
from transparency.choices import ReportStatus
from transparency.models import OrganizationBadge, TransparencyReport

SCREENS = Path("/tmp/screens")


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from transparency.models import ReportDocument

    monkeypatch.setattr(
        ReportDocument._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "private")
    )


def _log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_file_and_publish_a_transparency_report(
    reference_data, private_media, live_server, browser, tmp_path
):
    base = live_server.url
    year = last_year()
    org = factories.OrganizationFactory(name="Zëri i të Rinjve Gjilan")
    editor = factories.UserFactory(full_name="Arta Krasniqi")
    Membership.objects.create(organization=org, user=editor, role=Membership.Role.EDITOR)
    staff = factories.StaffFactory()
    previous = TransparencyReportFactory(organization=org, year=year - 1, published=True, board=0)
    BoardMemberFactory(report=previous, name="Arta Krasniqi", role="Chair")
    previous.municipalities.set(Municipality.objects.filter(slug="gjilan"))

    csp_violations = []
    editor_context = browser.new_context(viewport={"width": 360, "height": 780})
    _log_in(editor_context, live_server, editor)
    page = editor_context.new_page()
    page.set_default_timeout(10_000)
    page.on(
        "console", lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None
    )

    # 1. "My reports": start the report of last year.
    page.goto(f"{base}/en/transparency/reports/organization/{org.slug}/")
    page.get_by_label("Year").select_option(str(year))
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", name=f"Transparency report {year}")).to_be_visible()
    report = TransparencyReport.objects.get(organization=org, year=year)

    # 2. Income, pre-filled from last year's report; autosave and the live total.
    page.goto(f"{base}/en/transparency/reports/edit/{report.pk}/income/")
    expect(page.get_by_label("Foreign and international donors")).to_have_value(
        "40,000.00"
    )  # as the English page writes amounts
    expect(page.get_by_text("From your last published report").first).to_be_visible()
    page.get_by_label("Domestic businesses").fill("500")
    page.get_by_label("Domestic businesses").blur()
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    expect(page.locator("#report-totals [data-total=income]")).to_have_text("€42,500.00")
    # a negative figure: the error shows inline and nothing of the section is saved
    page.get_by_label("Diaspora").fill("-20")
    page.get_by_label("Diaspora").blur()
    expect(page.locator("#err-income_diaspora")).to_have_text(re.compile("cannot be negative"))
    page.get_by_label("Diaspora").fill("250")
    page.get_by_label("Diaspora").blur()
    expect(page.locator("#err-income_diaspora")).to_have_text("")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    report.refresh_from_db()
    assert report.income_domestic_businesses == 500 and report.income_diaspora == 250

    # 3. Spending (not pre-filled), with the Save-and-continue button.
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Spending", level=2)).to_be_visible()
    page.get_by_label("Programmes").fill("36000")
    page.get_by_label("Administration").fill("6000")
    page.get_by_role("button", name="Save and continue").click()

    # 4. People: the board came from last year.
    expect(page.get_by_role("heading", name="People", level=2)).to_be_visible()
    expect(page.locator("#board_name_0")).to_have_value("Arta Krasniqi")
    page.get_by_role("button", name="Save and continue").click()

    # 5. Activities: text and municipalities pre-filled; beneficiaries to give.
    expect(page.get_by_role("heading", name="Activities", level=2)).to_be_visible()
    page.get_by_label("Beneficiaries reached").fill("240")
    page.get_by_role("button", name="Save and continue").click()

    # 6. Documents: the statute.
    expect(page.get_by_role("heading", name="Documents", level=2)).to_be_visible()
    statute = tmp_path / "statuti.pdf"
    statute.write_bytes(pdf_bytes())
    page.get_by_label(re.compile(r"^Document\W*$")).select_option("statute")
    page.get_by_label(re.compile(r"^File\W*$")).set_input_files(str(statute))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("button", name="Remove statuti.pdf")).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "transparency-editor-360.png"), full_page=True)
    assert scroll_width(page) <= 360  # no sideways scrolling on a phone

    # 7. Preview and submit.
    page.get_by_role("link", name="Preview and submit").last.click()
    expect(page.get_by_text("Still missing before you can submit")).to_have_count(0)
    page.get_by_role("button", name="Submit for checking").click()
    expect(page.locator(".alert-success")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # 8. Staff publish it.
    staff_context = browser.new_context()
    _log_in(staff_context, live_server, staff)
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(10_000)
    staff_page.goto(f"{base}/en/transparency/reports/review/")
    staff_page.get_by_role("link", name=re.compile(re.escape(org.name))).click()
    staff_page.get_by_role("button", name="Accept and publish").click()
    expect(staff_page.locator(".alert-success")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED

    # 9. The public page shows it, with its figures and the statute to download.
    public = browser.new_page()
    public.goto(f"{base}/en/transparency/reports/{report.pk}/")
    expect(public.get_by_role("heading", name=f"Transparency report {year}")).to_be_visible()
    expect(public.get_by_text("42,750.00").first).to_be_visible()
    expect(public.get_by_role("link", name="Statute")).to_be_visible()
    public.goto(f"{base}/en/transparency/reports/?q=Rinjve")
    expect(public.get_by_role("link", name=re.compile(f"{year}"))).to_be_visible()

    # 10. The badge (recomputed after publishing) appears in the CSO directory.
    badge = OrganizationBadge.objects.get(organization=org)
    public.goto(f"{base}/en/organizations/?q=Rinjve")
    card = public.locator("li", has=public.get_by_role("link", name=org.name))
    if badge.level != "none":
        expect(card.locator(f"[data-badge-level={badge.level}]")).to_be_visible()
    else:  # the rules give no badge for these two years: then none is shown
        expect(card.locator("[data-badge-level]")).to_have_count(0)

    assert csp_violations == []
