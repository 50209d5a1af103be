"""The help desk in a real browser at 360 px: a CSO editor asks a legal question with a PDF;
staff assign a lawyer; they exchange messages (htmx); the lawyer answers; the editor closes
with a rating and consents; staff publish it to the knowledge base; a visitor finds it by
searching in Albanian."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from assistance.choices import RequestStatus
from assistance.models import HelpRequest, KnowledgeEntry, Rating
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import ExpertFactory, pdf_bytes
from tests.helpers import scroll_width


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    from assistance.models import Attachment

    monkeypatch.setattr(
        Attachment._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "private")
    )


def _context(browser, live_server, user=None):
    context = browser.new_context(viewport={"width": 360, "height": 780})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _no_horizontal_scroll(page):
    assert scroll_width(page) <= 362


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_legal_question_from_submission_to_the_knowledge_base(
    reference_data, private_media, live_server, browser, tmp_path
):
    base = live_server.url
    org = factories.OrganizationFactory(name="Rrjeti i Grave Prizren")
    editor = factories.UserFactory(full_name="Drita Berisha")
    Membership.objects.create(organization=org, user=editor, role=Membership.Role.EDITOR)
    staff = factories.StaffFactory(full_name="Arta (KCSF)")
    lawyer = ExpertFactory(user=factories.UserFactory(full_name="Besa Morina"), categories=["legal"])
    pdf = tmp_path / "statuti.pdf"
    pdf.write_bytes(pdf_bytes())

    # 1. The editor asks a legal question with a PDF.
    editor_page = _context(browser, live_server, editor)
    editor_page.goto(f"{base}/en/assistance/ask/")
    expect(editor_page.get_by_role("heading", name="Ask for help")).to_be_visible()
    _no_horizontal_scroll(editor_page)
    editor_page.locator("#id_organization").select_option(str(org.pk))
    editor_page.locator("#id_category").select_option("legal")
    editor_page.locator("#id_title").fill("Ndryshimi i statutit")
    editor_page.locator("#id_description").fill(
        "A duhet vendim i kuvendit për ndryshimin e statutit të shoqatës?"
    )
    editor_page.locator("#id_files").set_input_files(str(pdf))
    editor_page.get_by_role("button", name="Send the request").click()
    expect(editor_page.get_by_role("heading", name="Ndryshimi i statutit")).to_be_visible()
    expect(editor_page.get_by_role("link", name="statuti.pdf")).to_be_visible()
    expect(editor_page.get_by_text("Target answer time")).to_be_visible()
    _no_horizontal_scroll(editor_page)
    help_request = HelpRequest.objects.get()
    url = f"{base}/en/assistance/requests/{help_request.pk}/"

    # 2. Staff assign the lawyer from the triage list.
    staff_page = _context(browser, live_server, staff)
    staff_page.goto(f"{base}/en/assistance/manage/")
    staff_page.get_by_role("link", name="Ndryshimi i statutit").click()
    staff_page.locator("#id_expert").select_option(str(lawyer.pk))
    staff_page.get_by_role("button", name="Assign", exact=True).click()
    expect(staff_page.locator(".alert-success")).to_be_visible()
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.ASSIGNED and help_request.expert == lawyer

    # 3. The lawyer finds it in the inbox and writes (htmx: the thread updates in place).
    lawyer_page = _context(browser, live_server, lawyer.user)
    lawyer_page.goto(f"{base}/en/assistance/inbox/")
    lawyer_page.get_by_role("link", name="Ndryshimi i statutit").click()
    lawyer_page.locator("#id_body").fill("Ju lutem dërgoni statutin aktual.")
    lawyer_page.get_by_role("button", name="Send the message").click()
    expect(lawyer_page.locator("#thread")).to_contain_text("Ju lutem dërgoni statutin aktual.")
    expect(lawyer_page.locator("#id_body")).to_have_value("")

    # 4. The editor reads it and replies.
    editor_page.goto(url)
    expect(editor_page.locator("#thread")).to_contain_text("Ju lutem dërgoni statutin aktual.")
    editor_page.locator("#id_body").fill("Statuti është bashkëngjitur me kërkesën.")
    editor_page.get_by_role("button", name="Send the message").click()
    expect(editor_page.locator("#thread")).to_contain_text("Statuti është bashkëngjitur")

    # 5. The lawyer answers.
    lawyer_page.goto(url)
    lawyer_page.locator("#id_answer").fill("Po: ndryshimi i statutit kërkon vendim të kuvendit me shumicë.")
    lawyer_page.get_by_role("button", name="Send the answer").click()
    expect(lawyer_page.get_by_role("heading", name="The answer")).to_be_visible()

    # 6. The editor closes it with a rating and consents to publication.
    editor_page.goto(url)
    expect(editor_page.get_by_text("kërkon vendim të kuvendit")).to_be_visible()
    editor_page.locator("#id_score_4").check()
    editor_page.locator("#id_solved_0").check()
    editor_page.locator("#id_consent").check()
    editor_page.get_by_role("button", name="Close the request").click()
    expect(editor_page.locator(".alert-success")).to_be_visible()
    _no_horizontal_scroll(editor_page)
    help_request.refresh_from_db()
    assert help_request.status == RequestStatus.CLOSED and help_request.consent_to_publish
    assert Rating.objects.get(request=help_request).score == 5

    # 7. Staff publish an anonymised version in three languages.
    staff_page.goto(url)
    staff_page.get_by_role("link", name="Publish to the knowledge base").click()
    staff_page.locator("#id_question_sq").fill("A duhet vendim i kuvendit për ndryshimin e statutit?")
    staff_page.locator("#id_answer_sq").fill("Po, ndryshimi i statutit kërkon vendim të kuvendit me shumicë.")
    staff_page.locator("#id_question_sr").fill("Da li je za izmenu statuta potrebna odluka skupštine?")
    staff_page.locator("#id_answer_sr").fill("Da, izmena statuta zahteva odluku skupštine većinom.")
    staff_page.locator("#id_question_en").fill("Does a change of the statute need the assembly's decision?")
    staff_page.locator("#id_answer_en").fill(
        "Yes, a change of the statute needs a majority decision of the assembly."
    )
    staff_page.get_by_role("button", name="Publish").click()
    expect(staff_page.locator(".alert-success")).to_be_visible()
    entry = KnowledgeEntry.objects.get()
    assert entry.published

    # 8. A visitor finds it by searching in Albanian, and says it helped.
    visitor = _context(browser, live_server)
    visitor.goto(f"{base}/sq/assistance/knowledge/")
    visitor.locator("input[name=q]").fill("kuvendit statutit")
    visitor.locator("form[role=search] button[type=submit]").click()
    visitor.get_by_role("link", name=re.compile("A duhet vendim i kuvendit")).click()
    expect(visitor.get_by_text("kërkon vendim të kuvendit me shumicë")).to_be_visible()
    _no_horizontal_scroll(visitor)
    visitor.locator("button[name=helpful][value=yes]").click()
    expect(visitor.locator("button[name=helpful]")).to_have_count(0)
    entry.refresh_from_db()
    assert entry.helpful_yes == 1
    # The private request stays private for the visitor.
    response = visitor.goto(url)
    assert response.status == 404
