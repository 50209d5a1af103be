"""The Academy's figures and alumni in a real browser at phone size (360 px): staff open the
figures page in Albanian and start the yearly report, whose file downloads; an alumna joins the
alumni directory and appears on the public page."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests import factories
from tests.academy import figures_world
from tests.helpers import scroll_width

SCREENS = Path("/tmp/screens")


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from core.models import ReportJob

    storage = FileSystemStorage(location=tmp_path / "reports", base_url=None)
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage", storage)
    return storage


def _context(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 360, "height": 780}, accept_downloads=True)
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
def test_staff_build_the_yearly_report_and_an_alumna_joins_the_directory(
    reference_data, live_server, browser, private_media
):
    base = live_server.url
    world = figures_world.build()
    staff = factories.StaffFactory(preferred_language="sq")
    alumna = world["p"][0]  # completed the 2023 cohort, led "Parku"
    type(alumna.applicant).objects.filter(pk=alumna.applicant_id).update(full_name="Vesa Gashi")
    problems = []
    SCREENS.mkdir(exist_ok=True)

    # 1. Staff open the figures of 2023 in Albanian on a phone.
    page = _page(_context(browser, live_server, staff), problems)
    page.goto(f"{base}/sq/academy/figures/?year=2023")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.locator("#total-participants")).to_have_text("6")
    _fits(page)
    page.screenshot(path=str(SCREENS / "academy_figures_sq.png"), full_page=True)

    # 2. They start the yearly report as XLSX; it is built in the background and downloads.
    page.locator("button[name=format][value=xlsx]").click()
    link = page.locator("a[download]")
    expect(link).to_be_visible()
    _fits(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "2023" and rows[1][2] == 6

    # 3. The alumna joins the alumni directory from her cohort's page.
    alumna_page = _page(_context(browser, live_server, alumna.applicant), problems)
    alumna_page.goto(f"{base}/en/academy/cohorts/{alumna.cohort_id}/sessions/")
    alumna_page.get_by_role("button", name="Join the alumni directory").click()
    expect(alumna_page.get_by_text("You are now listed in the public alumni directory.")).to_be_visible()
    expect(alumna_page.get_by_role("button", name="Leave the alumni directory")).to_be_visible()
    _fits(alumna_page)

    # 4. A visitor sees her in the public directory, with her cohort and project.
    visitor = _page(_context(browser, live_server), problems)
    visitor.goto(f"{base}/sq/academy/alumni/")
    card = visitor.locator(".card", has_text="Vesa Gashi")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Parku")
    _fits(visitor)
    visitor.screenshot(path=str(SCREENS / "academy_alumni_sq.png"), full_page=True)
    assert problems == []
