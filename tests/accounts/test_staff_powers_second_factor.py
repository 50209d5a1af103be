"""Issue 12, item 1: staff powers need a session that passed the second factor.

A staff account (the demo's admin, staff and superuser) signed in with its password only is
an ordinary member until it gives the second factor (core.permissions). The URL map is walked
with the demo data's own objects (other people's applications, grants, reports, records,
organisations, report jobs...): every page the staff account opens (200) must also open for
an outsider with no role at all; what only staff may see sends it to the second factor. With
the second factor passed, the same walk finds the staff pages (so the walk is not empty)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import translation

from accounts.models import User
from core.models import ReportJob
from giving.choices import Status
from giving.models import GivingRecord, GivingYearlyReport, ImportBatch
from grants.models import (
    Application,
    Attachment,
    Call,
    CallDocument,
    Grant,
    GrantReport,
    ReviewAssignment,
    Revision,
    Tranche,
)
from organizations.models import ApiToken, Invitation, Membership, Organization
from tests.factories import UserFactory
from tests.giving.factories import GivingRecordFactory
from tests.helpers import rows_for_the_scope
from tests.test_permissions_declared import OUR_APPS, walk
from tests.transparency.factories import ReportDocumentFactory, pdf_bytes
from transparency.choices import ReportStatus
from transparency.models import ReportDocument, StrategyMeasure, TransparencyReport

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]

TOTP_PAGES = ("/accounts/2fa/totp/activate/", "/accounts/reauthenticate/", "/accounts/2fa/reauthenticate/")
PER_MODEL = 3
STAFF_EMAIL = "admin@cea.test"  # the demo's KCSF staff (and superuser)  # objects tried per route


def _pks(queryset, field="pk"):
    return list(queryset.order_by("pk").values_list(field, flat=True)[:PER_MODEL])


def _kwargs_for(route: str) -> list[dict]:
    """Argument sets of real objects for a route of the walk ('en/grants/applications/<int:pk>/...')."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return [{}]
    path = route.removeprefix("en/")
    found: list[dict] = []
    if path.startswith(("grants/applications/", "grants/manage/applications/")):
        for pk in _pks(Application.objects.all()):
            values = {"pk": pk}
            values["att_pk"] = (_pks(Attachment.objects.filter(application_id=pk)) or [1])[0]
            values["number"] = (_pks(Revision.objects.filter(application_id=pk), "number") or [1])[0]
            values["assignment_pk"] = (_pks(ReviewAssignment.objects.filter(application_id=pk)) or [1])[0]
            values["section"] = "project"
            found.append(values)
    elif path.startswith(("grants/awards/", "grants/manage/awards/")):
        for pk in _pks(Grant.objects.all()):
            found.append(
                {
                    "pk": pk,
                    "report_pk": (_pks(GrantReport.objects.filter(grant_id=pk)) or [1])[0],
                    "tranche_pk": (_pks(Tranche.objects.filter(grant_id=pk)) or [1])[0],
                }
            )
    elif path.startswith(("grants/calls/", "grants/manage/calls/")):
        for slug in _pks(Call.objects.all(), "slug"):
            docs = _pks(CallDocument.objects.filter(call__slug=slug)) or [1]
            found.append({"slug": slug, "pk": docs[0]})
    elif path.startswith("grants/reviews/"):
        found = [{"pk": pk} for pk in _pks(ReviewAssignment.objects.all())]
    elif path.startswith("giving/records/"):
        # Other people's records (the demo's admin entered some: theirs as a person).
        others = GivingRecord.objects.exclude(entered_by__email=STAFF_EMAIL)
        private = _pks(others.exclude(status="verified"))
        found = [{"pk": pk} for pk in private + _pks(others.filter(status="verified"))[:1]]
    elif path.startswith("giving/yearly/pdf/"):
        found = [{"pk": pk} for pk in _pks(GivingYearlyReport.objects.all())]
    elif path.startswith("giving/yearly/"):
        found = [{"year": 2025}]
    elif path.startswith("giving/imports/"):
        found = [{"pk": pk} for pk in _pks(ImportBatch.objects.all())]
    elif path.startswith("organizations/invitations/"):
        found = [{"token": "no-such-token"}]
    elif path.startswith("organizations/"):
        for slug in _pks(Organization.objects.all(), "slug"):
            organization = Organization.objects.get(slug=slug)
            pk = 1
            if "api-tokens" in path:
                pk = (_pks(ApiToken.objects.filter(organization=organization)) or [1])[0]
            elif "invitations" in path:
                pk = (_pks(Invitation.objects.filter(organization=organization)) or [1])[0]
            elif "members" in path:
                pk = (_pks(Membership.objects.filter(organization=organization)) or [1])[0]
            found.append({"slug": slug, "pk": pk})
    elif path.startswith("reports/"):
        found = [{"pk": pk} for pk in _pks(ReportJob.objects.all())]
    elif path.startswith("transparency/badges/") or path.startswith("transparency/reports/organization/"):
        found = [{"slug": slug} for slug in _pks(Organization.objects.all(), "slug")]
    elif path.startswith("transparency/reports/"):
        for pk in _pks(TransparencyReport.objects.all()):
            docs = _pks(ReportDocument.objects.filter(report_id=pk)) or [1]
            found.append({"pk": pk, "doc_pk": docs[0], "section": "board"})
    elif path.startswith("transparency/strategy/measures/"):
        found = [{"code": code} for code in _pks(StrategyMeasure.objects.all(), "code")]
    return [values for values in found if set(names) <= set(values)]


def _urls() -> list[str]:
    """Every GET-able page of our apps under /en/ (not the API: DRF's own permission classes),
    with real objects in its arguments."""
    urls = set()
    with translation.override("en"):
        for route, callback in walk(get_resolver()):
            cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            module = (cls or callback).__module__
            if not route.startswith("en/") or module.split(".")[0] not in OUR_APPS:
                continue
            if "logout" in route or route.startswith(("en/accounts/", "en/i18n")):
                continue
            for values in _kwargs_for(route):
                url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, v=values: str(v[m.group(1)]), route)
                urls.add(url)
    return sorted(urls)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rows_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("seed_demo", verbosity=0)
            owner = User.objects.get(email="drita@cea.test")
            # A report job of someone else's, done, with its file.
            job = ReportJob.objects.create(
                kind="giving.records", format="csv", requested_by=owner, status=ReportJob.Status.DONE
            )
            job.file.save("records.csv", ContentFile(b"donor\nAna\n"), save=True)
            data = {
                "staff": User.objects.get(email=STAFF_EMAIL),
                "owner": owner,
                "outsider": UserFactory(email="outsider@cea.test"),
                "job": job,
                "urls": _urls(),
            }
        yield data


def _asked_for_second_factor(response) -> bool:
    return response.status_code == 302 and any(page in response["Location"] for page in TOTP_PAGES)


def _staff_only_pages(client, demo, *, staff_passed: bool, monkeypatch) -> tuple[list, list]:
    """(pages staff open and an outsider does not, pages the staff account was asked for the
    second factor on)."""
    if staff_passed:
        monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: True)
    outsider = client.__class__()
    outsider.force_login(demo["outsider"])
    client.force_login(demo["staff"])
    client.raise_request_exception = outsider.raise_request_exception = False
    powers, asked = [], []
    for url in demo["urls"]:
        response = client.get(url)
        if response.status_code == 200 and outsider.get(url).status_code != 200:
            powers.append(url)
        elif _asked_for_second_factor(response):
            asked.append(url)
    return powers, asked


def test_the_walk_reaches_the_staff_pages_and_other_peoples_objects(demo):
    urls = demo["urls"]
    assert len(urls) >= 100
    for expected in (
        "/en/grants/applications/{}/preview/",
        "/en/grants/applications/{}/pdf/",
        "/en/organizations/{}/api-tokens/",
        "/en/organizations/{}/manage/",
        "/en/reports/{}/download/",
        "/en/transparency/reports/{}/",
        "/en/giving/records/{}/",
    ):
        prefix = expected.split("{}")[0]
        assert any(url.startswith(prefix) and url.endswith(expected.split("{}")[1]) for url in urls), expected


def test_staff_without_second_factor_have_no_staff_powers_anywhere(client, demo, monkeypatch):
    powers, asked = _staff_only_pages(client, demo, staff_passed=False, monkeypatch=monkeypatch)
    assert powers == [], "Staff powers without the second factor:\n" + "\n".join(powers)
    assert len(asked) >= 30  # sent to the second factor, not refused outright


def test_staff_with_second_factor_keep_their_powers(client, demo, monkeypatch):
    powers, asked = _staff_only_pages(client, demo, staff_passed=True, monkeypatch=monkeypatch)
    assert len(powers) >= 30
    assert asked == []
    for page in ("/api-tokens/", "/manage/", "/preview/", "/download/"):
        assert any(page in url for url in powers), page


# --- the reproductions of the issue, one by one ------------------------------------------------


@pytest.fixture
def staff_client(client, demo):
    client.force_login(demo["staff"])
    return client


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    """Attachments and report documents go to a temporary private storage."""
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    for model in (Attachment, ReportDocument):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def _others_application(demo):
    return Application.objects.exclude(applicant=demo["staff"]).exclude(status="draft").order_by("pk").first()


@pytest.mark.parametrize("page", ["preview", "pdf", "attachment"])
def test_another_users_application_preview_pdf_and_attachment(staff_client, demo, page, private_storage):
    application = _others_application(demo)
    if page == "attachment":
        attachment = Attachment.objects.create(
            application=application,
            file=ContentFile(pdf_bytes(), name="cv.pdf"),
            original_name="cv.pdf",
            size=len(pdf_bytes()),
            file_type="pdf",
            uploaded_by=application.applicant,
        )
        url = f"/en/grants/applications/{application.pk}/attachments/{attachment.pk}/"
    else:
        url = f"/en/grants/applications/{application.pk}/{page}/"
    response = staff_client.get(url)
    assert _asked_for_second_factor(response), (url, response.status_code)


def test_report_job_download_and_list(staff_client, demo):
    job = demo["job"]
    response = staff_client.get(reverse("core:report_download", kwargs={"pk": job.pk}))
    assert _asked_for_second_factor(response)
    listing = staff_client.get(reverse("core:report_list"))
    assert listing.status_code == 200
    assert str(job.pk) not in listing.content.decode()  # only their own jobs


def test_private_giving_record(staff_client, demo):
    record = GivingRecordFactory(status=Status.REPORTED, entered_by=demo["owner"])
    assert _asked_for_second_factor(
        staff_client.get(reverse("giving:record_detail", kwargs={"pk": record.pk}))
    )
    assert _asked_for_second_factor(staff_client.get(reverse("giving:record_edit", kwargs={"pk": record.pk})))


def test_transparency_draft_and_its_document(staff_client, demo, private_storage):
    document = ReportDocumentFactory(report__status=ReportStatus.SUBMITTED)
    report = document.report
    assert _asked_for_second_factor(staff_client.get(f"/en/transparency/reports/{report.pk}/"))
    assert _asked_for_second_factor(staff_client.get(f"/en/transparency/reports/edit/{report.pk}/preview/"))
    response = staff_client.get(f"/en/transparency/reports/{report.pk}/documents/{document.pk}/")
    assert _asked_for_second_factor(response)


def test_another_organisations_manage_and_api_token_pages(staff_client, demo):
    organization = Organization.objects.exclude(memberships__user=demo["staff"]).order_by("pk").first()
    manage = staff_client.get(f"/en/organizations/{organization.slug}/manage/")
    assert _asked_for_second_factor(manage)
    tokens_url = f"/en/organizations/{organization.slug}/api-tokens/"
    assert _asked_for_second_factor(staff_client.get(tokens_url))
    before = ApiToken.objects.filter(organization=organization).count()
    response = staff_client.post(tokens_url, {"name": "mine", "scopes": ["giving:write"]})
    assert _asked_for_second_factor(response)
    assert ApiToken.objects.filter(organization=organization).count() == before


def test_grants_applications_export(staff_client, demo):
    before = ReportJob.objects.count()
    response = staff_client.post(
        reverse("core:report_start"), {"kind": "grants.applications", "format": "csv"}
    )
    assert _asked_for_second_factor(response) or response.status_code in (400, 403), response.status_code
    assert ReportJob.objects.count() == before


def test_the_same_account_still_acts_as_a_member(client, demo):
    """A staff member who is also a CSO member keeps what the membership gives (no redirect)."""
    staff = demo["staff"]
    organization = Organization.objects.filter(memberships__role="owner").order_by("pk").first()
    Membership.objects.get_or_create(user=staff, organization=organization, defaults={"role": "owner"})
    client.force_login(staff)
    assert client.get(f"/en/organizations/{organization.slug}/manage/").status_code == 200
