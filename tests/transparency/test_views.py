"""Pages of the yearly report: the editor's autosave (htmx), the no-JavaScript path,
preview and submit, documents, the public pages with history, and query counts."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.models import Municipality
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.transparency.factories import (
    BoardMemberFactory,
    ReportDocumentFactory,
    TransparencyReportFactory,
    last_year,
    pdf_bytes,
    private_files,  # noqa: F401  (fixture)
)
from transparency.choices import DocumentKind, ReportStatus
from transparency.models import TransparencyReport

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english():
    """Pages in English (URLs reversed under /en/), so that texts and numbers are predictable."""
    with translation.override("en"):
        yield


@pytest.fixture
def org():
    return factories.OrganizationFactory()


@pytest.fixture
def editor(org):
    return member_of(org, Membership.Role.EDITOR)


@pytest.fixture
def draft(org):
    return TransparencyReportFactory(organization=org, main_activities="Youth clubs")


def section_url(report, section):
    return reverse("transparency:report_section", kwargs={"pk": report.pk, "section": section})


def income_data(**overrides):
    data = {
        "income_national_public": "0",
        "income_municipal_public": "2500",
        "income_foreign_donors": "40000",
        "income_domestic_individuals": "1200",
        "income_domestic_businesses": "",
        "income_diaspora": "",
        "income_membership_fees": "800",
        "income_economic_activity": "",
        "income_other": "",
        "total_income_declared": "",
    }
    data.update(overrides)
    return data


# --- the editor ----------------------------------------------------------------------------


def test_section_page_shows_the_form_the_progress_and_the_prefill_note(client, editor, draft):
    TransparencyReport.objects.filter(pk=draft.pk).update(
        prefill_sources={"income_domestic_individuals": {"source": "the giving tracker", "value": "1200.00"}}
    )
    client.force_login(editor)
    response = client.get(section_url(draft, "income"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="income_diaspora"' in html
    assert 'hx-post="' + section_url(draft, "income") + '"' in html
    assert 'id="report-progress"' in html and "<progress" in html
    assert 'id="report-totals"' in html
    assert "From the giving tracker: €1,200.00" in html
    assert "report-editor.js" in html


def test_autosave_with_htmx_returns_the_fragment_and_saves(client, editor, draft):
    client.force_login(editor)
    response = client.post(section_url(draft, "income"), income_data(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert 'id="report-totals" class="card card-body bg-body-tertiary mb-3" hx-swap-oob="true"' in html
    assert 'id="report-progress"' in html and 'hx-swap-oob="true"' in html
    assert 'id="err-income_diaspora"' in html
    draft.refresh_from_db()
    assert draft.income_municipal_public == Decimal("2500")
    assert draft.income_diaspora == 0
    assert draft.total_income == Decimal("44500")
    assert "€44,500.00" in html  # the live total


def test_autosave_failed_validation_keeps_the_draft(client, editor, draft):
    client.force_login(editor)
    before = draft.income_foreign_donors
    response = client.post(
        section_url(draft, "income"), income_data(income_foreign_donors="99", income_diaspora="-3"), **HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="err-income_diaspora" class="invalid-feedback d-block" hx-swap-oob="true">' in html
    assert "Figures cannot be negative." in html
    draft.refresh_from_db()
    assert draft.income_foreign_donors == before  # nothing of the section saved
    assert draft.main_activities == "Youth clubs"  # nor anything else lost
    assert draft.status == ReportStatus.DRAFT


def test_save_without_javascript_redirects_and_continues(client, editor, draft):
    client.force_login(editor)
    response = client.post(section_url(draft, "income"), {**income_data(), "next": "1"})
    assert response.status_code == 302
    assert response["Location"] == section_url(draft, "spending")
    response = client.post(section_url(draft, "spending"), {"expenditure_programs": "-1"})
    assert response.status_code == 400
    assert 'name="expenditure_programs"' in response.content.decode()
    assert 'value="-1"' in response.content.decode()  # the typed value is shown back


def test_board_rows_and_errors(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        section_url(draft, "people"),
        {"board_name_0": "Arta", "board_role_0": "Chair", "board_name_1": "Besim", "board_role_1": ""},
        **HTMX,
    )
    assert response.status_code == 400
    assert 'id="err-board"' in response.content.decode()
    assert draft.board_members.count() == 0
    response = client.post(
        section_url(draft, "people"),
        {"board_name_0": "Arta", "board_role_0": "Chair", "board_name_1": "", "board_role_1": ""},
    )
    assert response.status_code == 302
    assert list(draft.board_members.values_list("name", flat=True)) == ["Arta"]
    page = client.get(section_url(draft, "people")).content.decode()
    assert 'value="Arta"' in page and 'name="board_name_2"' in page  # empty rows to add more


def test_activities_with_municipalities(client, editor, draft):
    client.force_login(editor)
    ids = list(Municipality.objects.filter(slug__in=["prizren", "peje"]).values_list("pk", flat=True))
    response = client.post(
        section_url(draft, "activities"),
        {"main_activities": "Clean-ups", "beneficiaries_reached": "120", "municipalities": ids},
        **HTMX,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.beneficiaries_reached == 120
    assert set(draft.municipalities.values_list("pk", flat=True)) == set(ids)


def test_autosave_on_a_submitted_report_is_400(client, editor, org):
    report = TransparencyReportFactory(organization=org, submitted=True)
    client.force_login(editor)
    response = client.post(section_url(report, "income"), income_data(), **HTMX)
    assert response.status_code == 400
    response = client.post(section_url(report, "income"), income_data())
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.income_municipal_public == 0


def test_unknown_section_is_404(client, editor, draft):
    client.force_login(editor)
    assert client.get(section_url(draft, "salaries")).status_code == 404


# --- start, preview and submit ---------------------------------------------------------------


def test_start_from_my_reports_and_duplicate_year(client, editor, org):
    client.force_login(editor)
    url = reverse("transparency:report_start", kwargs={"slug": org.slug})
    response = client.post(url, {"year": last_year()})
    report = TransparencyReport.objects.get(organization=org)
    assert response.status_code == 302
    assert response["Location"] == reverse("transparency:report_edit", kwargs={"pk": report.pk})
    response = client.post(url, {"year": last_year()})
    assert response.status_code == 400
    assert TransparencyReport.objects.filter(organization=org).count() == 1


def test_preview_lists_what_is_missing_and_submit_refuses(client, editor, draft):
    client.force_login(editor)
    preview = client.get(reverse("transparency:report_preview", kwargs={"pk": draft.pk}))
    assert preview.status_code == 200
    assert section_url(draft, "people") in preview.content.decode()  # the board is missing
    response = client.post(reverse("transparency:report_submit", kwargs={"pk": draft.pk}))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_submit_complete_report(client, editor, org):
    report = TransparencyReportFactory(organization=org)
    BoardMemberFactory(report=report)
    report.municipalities.set(Municipality.objects.all()[:1])
    ReportDocumentFactory(report=report, kind=DocumentKind.STATUTE)
    client.force_login(editor)
    response = client.post(reverse("transparency:report_submit", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_submit_twice_is_400(client, editor, org):
    report = TransparencyReportFactory(organization=org, submitted=True)
    client.force_login(editor)
    response = client.post(reverse("transparency:report_submit", kwargs={"pk": report.pk}))
    assert response.status_code == 400
    assert "cannot become" in response.content.decode() or response.context["reason"]


# --- documents -----------------------------------------------------------------------------


def test_upload_download_and_refusals(client, editor, draft):
    client.force_login(editor)
    url = reverse("transparency:report_document_add", kwargs={"pk": draft.pk})
    response = client.post(url, {"kind": "statute", "file": SimpleUploadedFile("statuti.pdf", pdf_bytes())})
    assert response.status_code == 302
    document = draft.documents.get()
    assert document.original_name == "statuti.pdf"
    response = client.post(url, {"kind": "statute", "file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00")})
    assert response.status_code == 400
    assert draft.documents.count() == 1
    download = client.get(
        reverse("transparency:report_document", kwargs={"pk": draft.pk, "doc_pk": document.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Type"] == "application/pdf"
    client.logout()
    # not public while the report is a draft
    assert (
        client.get(
            reverse("transparency:report_document", kwargs={"pk": draft.pk, "doc_pk": document.pk})
        ).status_code
        == 404
    )


# --- public pages --------------------------------------------------------------------------


def test_public_report_with_history(client, org):
    old = TransparencyReportFactory(
        organization=org, status=ReportStatus.SUPERSEDED, published_at="2025-03-01T10:00Z"
    )
    new = TransparencyReportFactory(organization=org, version=2, corrects=old, published=True)
    ReportDocumentFactory(report=new)
    response = client.get(reverse("transparency:report_public", kwargs={"pk": new.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("transparency:report_public", kwargs={"pk": old.pk}) in html
    assert (
        reverse("transparency:report_document", kwargs={"pk": new.pk, "doc_pk": new.documents.get().pk})
        in html
    )
    old_page = client.get(reverse("transparency:report_public", kwargs={"pk": old.pk}))
    assert old_page.status_code == 200
    assert reverse("transparency:report_public", kwargs={"pk": new.pk}) in old_page.content.decode()


def test_unpublished_report_has_no_public_page(client, draft):
    assert client.get(reverse("transparency:report_public", kwargs={"pk": draft.pk})).status_code == 404


def test_public_list_filters(client):
    prizren = Municipality.objects.get(slug="prizren")
    a = TransparencyReportFactory(
        organization=factories.OrganizationFactory(name="Alfa Youth", municipality=prizren), published=True
    )
    b = TransparencyReportFactory(
        organization=factories.OrganizationFactory(name="Beta Women"), published=True, year=last_year() - 1
    )
    TransparencyReportFactory(organization=factories.OrganizationFactory(name="Gamma Draft"))
    url = reverse("transparency:report_list")
    html = client.get(url).content.decode()
    assert "Alfa Youth" in html and "Beta Women" in html and "Gamma Draft" not in html
    html = client.get(url, {"q": "alfa"}).content.decode()
    assert "Alfa Youth" in html and "Beta Women" not in html
    html = client.get(url, {"year": b.year}).content.decode()
    assert "Beta Women" in html and "Alfa Youth" not in html
    html = client.get(url, {"municipality": "prizren"}).content.decode()
    assert "Alfa Youth" in html and a.organization.municipality == prizren
    assert client.get(url, {"year": "abc"}).status_code == 400


def _published_reports(n):
    for _ in range(n):
        report = TransparencyReportFactory(published=True)
        BoardMemberFactory(report=report)


def test_public_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    _published_reports(3)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("transparency:report_list"))
    _published_reports(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("transparency:report_list"))
    assert len(response.context["reports"]) == 9


def test_my_reports_query_count_does_not_grow(client, editor, org, django_assert_max_num_queries):
    client.force_login(editor)
    url = reverse("transparency:report_mine", kwargs={"slug": org.slug})
    for year in (2015, 2016):
        TransparencyReportFactory(organization=org, year=year, published=True)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for year in (2017, 2018, 2019, 2020):
        TransparencyReportFactory(organization=org, year=year, published=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["reports"]) == 6


def test_public_report_query_count_does_not_grow(client, org, django_assert_max_num_queries):
    report = TransparencyReportFactory(organization=org, published=True, board=1)
    url = reverse("transparency:report_public", kwargs={"pk": report.pk})
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    BoardMemberFactory.create_batch(5, report=report)
    ReportDocumentFactory.create_batch(3, report=report)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_the_sections_own_address_opens_the_list_of_reports_in_the_same_language(client, lang):
    """/<lang>/transparency/ (typed, or a link cut short) was a 404: it opens the reports."""
    response = client.get(f"/{lang}/transparency/")
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/transparency/reports/"
    assert client.get(response["Location"]).status_code == 200
