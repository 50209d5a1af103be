"""Permission matrix of the yearly report: every page × anonymous / citizen / viewer /
editor / owner / another organisation's editor / staff, asserting the status and what
changed (or did not change) in the database."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core.models import Municipality
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.helpers import login
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

ROLES = ["anonymous", "citizen", "viewer", "editor", "owner", "other_editor", "staff"]
LOGIN = "login"
S = ReportStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def roles(org_roles):
    other = factories.OrganizationFactory()
    return {**org_roles, "other_editor": member_of(other, Membership.Role.EDITOR)}


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


def complete(org, **kwargs):
    report = TransparencyReportFactory(organization=org, **kwargs)
    BoardMemberFactory(report=report)
    report.municipalities.set(Municipality.objects.all()[:1])
    ReportDocumentFactory(report=report, kind=DocumentKind.STATUTE)
    return report


# --- public ----------------------------------------------------------------------------------


@_matrix(anonymous=200, citizen=200, viewer=200, editor=200, owner=200, other_editor=200, staff=200)
def test_public_list(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"], published=True)
    TransparencyReportFactory(organization=roles["organization"], year=last_year() - 1)  # a draft
    response = login(client, roles[role]).get(reverse("transparency:report_list"))
    _check(response, expected)
    assert list(response.context["reports"]) == [report]


@_matrix(anonymous=200, citizen=200, viewer=200, editor=200, owner=200, other_editor=200, staff=200)
def test_public_page_of_a_published_report(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"], published=True)
    _check(login(client, roles[role]).get(reverse("transparency:report_public", args=[report.pk])), expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", [S.DRAFT, S.SUBMITTED, S.RETURNED])
def test_public_page_of_an_unpublished_report_is_404(client, roles, role, status):
    report = TransparencyReportFactory(organization=roles["organization"], status=status)
    assert (
        login(client, roles[role]).get(reverse("transparency:report_public", args=[report.pk])).status_code
        == 404
    )


@_matrix(anonymous=200, citizen=200, viewer=200, editor=200, owner=200, other_editor=200, staff=200)
def test_document_of_a_published_report(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"], published=True)
    document = ReportDocumentFactory(report=report)
    url = reverse("transparency:report_document", kwargs={"pk": report.pk, "doc_pk": document.pk})
    _check(login(client, roles[role]).get(url), expected)


@_matrix(anonymous=404, citizen=404, viewer=200, editor=200, owner=200, other_editor=404, staff=200)
def test_document_of_a_draft(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    document = ReportDocumentFactory(report=report)
    url = reverse("transparency:report_document", kwargs={"pk": report.pk, "doc_pk": document.pk})
    _check(login(client, roles[role]).get(url), expected)


# --- the organisation's reports ----------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=403, viewer=200, editor=200, owner=200, other_editor=403, staff=200)
def test_my_reports(client, roles, role, expected):
    org = roles["organization"]
    TransparencyReportFactory(organization=org)
    response = login(client, roles[role]).get(reverse("transparency:report_mine", args=[org.slug]))
    _check(response, expected)
    if expected == 200:
        html = response.content.decode()
        can_start = role in ("editor", "owner")
        assert (reverse("transparency:report_start", args=[org.slug]) in html) is can_start


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=302, owner=302, other_editor=403, staff=403)
def test_start(client, roles, role, expected):
    org = roles["organization"]
    response = login(client, roles[role]).post(
        reverse("transparency:report_start", args=[org.slug]), {"year": last_year()}
    )
    _check(response, expected)
    created = TransparencyReport.objects.filter(organization=org).first()
    assert (created is not None) is (expected == 302)
    if created:
        assert created.history.first().history_user == roles[role]


# --- the editor ------------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=404, viewer=302, editor=200, owner=200, other_editor=404, staff=302)
def test_section_page(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    response = login(client, roles[role]).get(
        reverse("transparency:report_section", kwargs={"pk": report.pk, "section": "income"})
    )
    _check(response, expected)
    if expected == 302:  # may see, may not edit: the read-only preview
        assert response["Location"] == reverse("transparency:report_preview", args=[report.pk])


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=200, owner=200, other_editor=404, staff=403)
def test_autosave(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    response = login(client, roles[role]).post(
        reverse("transparency:report_section", kwargs={"pk": report.pk, "section": "income"}),
        {"income_other": "777"},
        HTTP_HX_REQUEST="true",
    )
    _check(response, expected)
    report.refresh_from_db()
    assert (report.income_other == 777) is (expected == 200)


@_matrix(anonymous=LOGIN, citizen=404, viewer=200, editor=200, owner=200, other_editor=404, staff=200)
def test_preview(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    _check(login(client, roles[role]).get(reverse("transparency:report_preview", args=[report.pk])), expected)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=302, owner=302, other_editor=404, staff=403)
def test_submit(client, roles, role, expected):
    report = complete(roles["organization"])
    _check(login(client, roles[role]).post(reverse("transparency:report_submit", args=[report.pk])), expected)
    report.refresh_from_db()
    assert (report.status == S.SUBMITTED) is (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=302, owner=302, other_editor=404, staff=403)
def test_document_upload(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    response = login(client, roles[role]).post(
        reverse("transparency:report_document_add", args=[report.pk]),
        {"kind": "statute", "file": SimpleUploadedFile("s.pdf", pdf_bytes())},
    )
    _check(response, expected)
    assert report.documents.exists() is (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=302, owner=302, other_editor=404, staff=403)
def test_document_delete(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"])
    document = ReportDocumentFactory(report=report)
    response = login(client, roles[role]).post(
        reverse("transparency:report_document_delete", kwargs={"pk": report.pk, "doc_pk": document.pk})
    )
    _check(response, expected)
    assert report.documents.exists() is (expected != 302)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=302, owner=302, other_editor=404, staff=403)
def test_form_size_switch(client, roles, role, expected):
    report = TransparencyReportFactory(organization=roles["organization"], small=True)
    response = login(client, roles[role]).post(
        reverse("transparency:report_form_size", args=[report.pk]), {"form_size": "full"}
    )
    _check(response, expected)
    report.refresh_from_db()
    assert (report.form_size == "full") is (expected == 302)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=302, owner=302, other_editor=403, staff=403)
def test_correct(client, roles, role, expected):
    report = complete(roles["organization"], published=True)
    _check(
        login(client, roles[role]).post(reverse("transparency:report_correct", args=[report.pk])), expected
    )
    correction = TransparencyReport.objects.filter(corrects=report).first()
    assert (correction is not None) is (expected == 302)
    report.refresh_from_db()
    assert report.status == S.PUBLISHED  # the published version stays public


# --- staff review ----------------------------------------------------------------------------


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, owner=403, other_editor=403, staff=200)
def test_review_queue(client, roles, role, expected):
    report = complete(roles["organization"], submitted=True)
    response = login(client, roles[role]).get(reverse("transparency:report_review_queue"))
    _check(response, expected)
    if expected == 200:
        assert list(response.context["reports"]) == [report]


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=403, owner=403, other_editor=404, staff=200)
def test_review_page(client, roles, role, expected):
    report = complete(roles["organization"], submitted=True)
    _check(login(client, roles[role]).get(reverse("transparency:report_review", args=[report.pk])), expected)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=403, owner=403, other_editor=404, staff=302)
def test_publish(client, roles, role, expected):
    report = complete(roles["organization"], submitted=True)
    _check(
        login(client, roles[role]).post(reverse("transparency:report_publish", args=[report.pk])), expected
    )
    report.refresh_from_db()
    assert (report.status == S.PUBLISHED) is (expected == 302)


@_matrix(anonymous=LOGIN, citizen=404, viewer=403, editor=403, owner=403, other_editor=404, staff=302)
def test_return(client, roles, role, expected):
    report = complete(roles["organization"], submitted=True)
    response = login(client, roles[role]).post(
        reverse("transparency:report_return", args=[report.pk]), {"comments": "Add the audit."}
    )
    _check(response, expected)
    report.refresh_from_db()
    assert (report.status == S.RETURNED) is (expected == 302)


def test_return_without_comments_is_400(client, roles):
    report = complete(roles["organization"], submitted=True)
    response = login(client, roles["staff"]).post(reverse("transparency:report_return", args=[report.pk]), {})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED, S.SUPERSEDED])
def test_publish_in_a_wrong_state_is_400(client, roles, status):
    report = complete(roles["organization"], status=status)
    response = login(client, roles["staff"]).post(reverse("transparency:report_publish", args=[report.pk]))
    assert response.status_code == 400
    assert response.context["reason"]
    report.refresh_from_db()
    assert report.status == status


# --- admin -----------------------------------------------------------------------------------


def test_admin_actions_call_the_services(client, roles, settings):
    # MFA of staff has its own tests in accounts; this one is about the admin actions.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "accounts.middleware.StaffMFAMiddleware"]
    staff = roles["staff"]
    staff.is_superuser = True
    staff.save()
    a = complete(roles["organization"], submitted=True)
    b = complete(factories.OrganizationFactory(), submitted=True)
    draft = complete(factories.OrganizationFactory())
    c = login(client, staff)
    url = reverse("admin:transparency_transparencyreport_changelist")
    assert c.get(url).status_code == 200
    assert c.get(reverse("admin:transparency_transparencyreport_change", args=[a.pk])).status_code == 200
    c.post(url, {"action": "publish_selected", "_selected_action": [a.pk, draft.pk]})
    a.refresh_from_db()
    draft.refresh_from_db()
    assert a.status == S.PUBLISHED and a.reviewed_by == staff
    assert draft.status == S.DRAFT  # refused, with a message
    page = c.post(url, {"action": "return_selected", "_selected_action": [b.pk]})
    assert page.status_code == 200 and b"comments" in page.content  # the intermediate page
    c.post(url, {"action": "return_selected", "_selected_action": [b.pk], "apply": "1", "comments": "Audit?"})
    b.refresh_from_db()
    assert b.status == S.RETURNED and b.review_comments == "Audit?"
