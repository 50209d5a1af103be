"""Pages after the award: the permission matrix (anonymous, grantee, another applicant, org
editor and viewer of the grantee organisation, a reviewer, staff) of every view with what
changed (nothing, for the refused ones), the staff forms and their errors, private
downloads, the staff list's query count, and the three languages."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from grants.choices import (
    ApplicantType,
    ApplicationStatus,
    AssignmentStatus,
    GrantReportStatus,
    GrantStatus,
    TrancheStatus,
)
from grants.models import Grant, GrantReport, ReviewAssignment, Tranche
from grants.services import awards
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import (
    ApplicationFactory,
    CallFactory,
    active_grant,
    awarded_grant,
    pdf_upload,
    png_upload,
    ready_grant,
    verified_cso,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
LOGIN = "login"
ROLES = ("anonymous", "grantee", "other_applicant", "org_editor", "org_viewer", "reviewer", "staff")
R, T, G = GrantReportStatus, TrancheStatus, GrantStatus
TODAY = timezone.localdate


@pytest.fixture
def world():
    """An active grant of an organisation (owner = the grantee who applied) and one person
    for every role."""
    staff = StaffFactory()
    organization = verified_cso()
    grantee = member_of(organization, Membership.Role.OWNER)
    grant = active_grant(
        staff=staff, applicant=grantee, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    other = UserFactory()
    ApplicationFactory(call=grant.call, applicant=other)
    reviewer = UserFactory()
    ReviewAssignment.objects.create(
        application=grant.application,
        stage=grant.application.stage,
        reviewer=reviewer,
        status=AssignmentStatus.SUBMITTED,
        weighted_score=Decimal("70"),
        submitted_at=timezone.now(),
    )
    people = {
        "anonymous": None,
        "grantee": grantee,
        "other_applicant": other,
        "org_editor": member_of(organization, Membership.Role.EDITOR),
        "org_viewer": member_of(organization, Membership.Role.VIEWER),
        "reviewer": reviewer,
        "staff": staff,
    }
    return {"grant": grant, "people": people, "staff": staff}


def as_(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, response.content[:500])


def state(grant) -> tuple:
    grant = Grant.objects.get(pk=grant.pk)
    return (
        grant.status,
        grant.agreement_file.name,
        grant.closing_note,
        tuple(Tranche.objects.filter(grant=grant).order_by("number").values_list("pk", "amount", "status")),
        tuple(GrantReport.objects.filter(grant=grant).order_by("pk").values_list("pk", "due_on", "status")),
    )


def matrix(client, world, method, url, expected: dict, data=None, *, last_ok=True):
    """Every role; refused roles change nothing. The allowed roles run last (`last_ok`)."""
    assert set(expected) == set(ROLES)
    grant = world["grant"]
    order = sorted(ROLES, key=lambda r: expected[r] not in (LOGIN, 403, 404) and last_ok)
    for role in order:
        before = state(grant)
        payload = data() if callable(data) else data
        response = getattr(as_(client, world["people"][role]), method)(url, payload or {})
        check(response, expected[role])
        if expected[role] not in (200, 302) or method == "get":
            assert state(grant) == before, role


VIEW = {
    "anonymous": LOGIN,
    "grantee": 200,
    "other_applicant": 404,
    "org_editor": 200,
    "org_viewer": 200,
    "reviewer": 404,
    "staff": 200,
}
STAFF_ONLY = {
    "anonymous": LOGIN,
    "grantee": 403,
    "other_applicant": 404,
    "org_editor": 403,
    "org_viewer": 403,
    "reviewer": 404,
    "staff": 302,
}


# --- the grantee's pages ----------------------------------------------------------------------


def test_matrix_grant_detail(client, world):
    grant = world["grant"]
    matrix(client, world, "get", reverse("grants:grant_detail", args=[grant.pk]), VIEW)
    response = as_(client, world["people"]["grantee"]).get(reverse("grants:grant_detail", args=[grant.pk]))
    content = response.content.decode()
    assert "€4,000.00" in content and "Report monthly." in content
    assert reverse("grants:grant_agreement", args=[grant.pk]) in content
    assert "Manage this grant" not in content
    assert "Released for payment" in content and "Interim" in content


def test_detail_highlights_overdue(client, world):
    grant = world["grant"]
    GrantReport.objects.filter(grant=grant, period="interim").update(due_on=TODAY() - timedelta(days=1))
    content = (
        as_(client, world["people"]["grantee"]).get(reverse("grants:grant_detail", args=[grant.pk])).content
    )
    assert b"list-group-item-danger" in content and b"overdue" in content


def test_matrix_agreement_download(client, world):
    grant = world["grant"]
    url = reverse("grants:grant_agreement", args=[grant.pk])
    matrix(client, world, "get", url, VIEW)
    response = as_(client, world["people"]["org_viewer"]).get(url)
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert f"agreement-{grant.application.reference}.pdf" in response["Content-Disposition"]


def test_agreement_download_404_when_missing(client):
    grant = awarded_grant()
    response = as_(client, grant.application.applicant).get(
        reverse("grants:grant_agreement", args=[grant.pk])
    )
    assert response.status_code == 404


def test_matrix_report_page(client, world):
    grant = world["grant"]
    report = grant.reports.get(period="interim")
    url = reverse("grants:grant_report", args=[grant.pk, report.pk])
    matrix(client, world, "get", url, VIEW)
    assert b"Send to KCSF" in as_(client, world["people"]["org_editor"]).get(url).content
    assert b"Send to KCSF" not in as_(client, world["people"]["org_viewer"]).get(url).content
    assert b"Accept or return" not in as_(client, world["staff"]).get(url).content  # nothing sent yet


def test_report_of_another_grant_is_404(client, world):
    other = awarded_grant()
    report = GrantReport.objects.create(grant=other, period="final", kind="narrative", due_on=TODAY())
    url = reverse("grants:grant_report", args=[world["grant"].pk, report.pk])
    assert as_(client, world["staff"]).get(url).status_code == 404


def test_matrix_report_submit(client, world):
    grant = world["grant"]
    report = grant.reports.get(period="interim")
    url = reverse("grants:grant_report", args=[grant.pk, report.pk])
    expected = {**STAFF_ONLY, "grantee": 302, "org_editor": 302, "staff": 403}
    # the grantee sends it; then the editor gets a 400 (already sent): check them separately
    matrix(client, world, "post", url, {**expected, "org_editor": 400}, {"text": "We did it."})
    report.refresh_from_db()
    assert report.status == R.SUBMITTED and report.submitted_by == world["people"]["grantee"]


def test_report_submit_by_editor_with_file_and_download(client, world, settings):
    grant = world["grant"]
    report = grant.reports.get(period="final", kind="financial")
    url = reverse("grants:grant_report", args=[grant.pk, report.pk])
    editor = world["people"]["org_editor"]
    response = as_(client, editor).post(url, {"text": "", "file": png_upload()})
    assert response.status_code == 400
    assert b"PDF, Word (DOCX) or Excel (XLSX)" in response.content
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 10
    response = as_(client, editor).post(url, {"file": pdf_upload("big.pdf")})
    assert response.status_code == 400 and b"too large" in response.content
    response = as_(client, editor).post(url, {"text": ""})
    assert response.status_code == 400 and b"Write the report" in response.content
    report.refresh_from_db()
    assert report.status == R.DUE
    settings.GRANTS_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    response = as_(client, editor).post(url, {"file": pdf_upload("Raporti financiar.pdf")})
    assert response.status_code == 302
    file_url = reverse("grants:grant_report_file", args=[grant.pk, report.pk])
    matrix(client, world, "get", file_url, VIEW)
    response = as_(client, world["staff"]).get(file_url)
    assert "Raporti financiar.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_report_file_404_without_file(client, world):
    grant = world["grant"]
    report = grant.reports.get(period="interim")
    url = reverse("grants:grant_report_file", args=[grant.pk, report.pk])
    assert as_(client, world["staff"]).get(url).status_code == 404


def test_report_submit_refused_when_already_sent_is_400(client, world):
    grant = world["grant"]
    report = grant.reports.get(period="interim")
    awards.grant_report_submit(actor=world["people"]["grantee"], report=report, text="Sent")
    response = as_(client, world["people"]["grantee"]).post(
        reverse("grants:grant_report", args=[grant.pk, report.pk]), {"text": "Again"}
    )
    assert response.status_code == 400 and b"cannot be sent again" in response.content
    report.refresh_from_db()
    assert report.text == "Sent"


# --- KCSF: report review ----------------------------------------------------------------------


def _submitted(world):
    report = world["grant"].reports.get(period="interim")
    awards.grant_report_submit(actor=world["people"]["grantee"], report=report, text="Sent")
    return report


def test_matrix_report_accept_releases_tranche(client, world):
    grant = world["grant"]
    report = _submitted(world)
    url = reverse("grants:staff_report_review", args=[grant.pk, report.pk])
    matrix(client, world, "post", url, STAFF_ONLY, {"action": "accept", "comment": "Fine"})
    report.refresh_from_db()
    assert report.status == R.ACCEPTED
    assert grant.tranches.get(number=2).status == T.RELEASED


def test_report_page_shows_review_form_to_staff(client, world):
    grant = world["grant"]
    report = _submitted(world)
    url = reverse("grants:grant_report", args=[grant.pk, report.pk])
    assert b"Accept or return" in as_(client, world["staff"]).get(url).content
    assert b"Accept or return" not in as_(client, world["people"]["grantee"]).get(url).content


def test_report_return_needs_comment(client, world):
    grant = world["grant"]
    report = _submitted(world)
    url = reverse("grants:staff_report_review", args=[grant.pk, report.pk])
    response = as_(client, world["staff"]).post(url, {"action": "return", "comment": ""})
    assert response.status_code == 400 and b"Say what the grantee should change" in response.content
    report.refresh_from_db()
    assert report.status == R.SUBMITTED
    response = as_(client, world["staff"]).post(url, {"action": "bogus"})
    assert response.status_code == 400
    response = as_(client, world["staff"]).post(url, {"action": "return", "comment": "Add photos"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == R.RETURNED and report.staff_comment == "Add photos"
    response = as_(client, world["staff"]).post(url, {"action": "accept"})
    assert response.status_code == 400 and b"only a submitted report" in response.content


# --- KCSF: the grant's management page --------------------------------------------------------


def test_matrix_staff_grant_page(client, world):
    url = reverse("grants:staff_grant", args=[world["grant"].pk])
    matrix(client, world, "get", url, {**STAFF_ONLY, "staff": 200})
    content = as_(client, world["staff"]).get(url).content.decode()
    assert "Edit the reporting duties" in content and "Mark as paid" in content
    assert "Edit the disbursement plan" not in content  # a tranche is released: plan locked


def test_matrix_staff_grants_list(client, world):
    url = reverse("grants:staff_grants")
    expected = {role: 403 for role in ROLES} | {"anonymous": LOGIN, "staff": 200}
    matrix(client, world, "get", url, expected)


def test_matrix_agreement_upload(client):
    grant = ready_grant()  # with a plan and the final reports: activation needs them (issue 12, 25)
    staff = StaffFactory()
    organization_less = {"grant": grant, "staff": staff, "people": _people_for(grant, staff)}
    url = reverse("grants:staff_grant_agreement", args=[grant.pk])
    matrix(
        client,
        organization_less,
        "post",
        url,
        {**STAFF_ONLY, "org_editor": 404, "org_viewer": 404},
        lambda: {"file": pdf_upload(), "signed_on": TODAY().isoformat(), "release_first": "on"},
    )
    grant.refresh_from_db()
    assert grant.status == G.ACTIVE and grant.agreement_signed_on == TODAY()


def _people_for(grant, staff):
    """Roles for an individual's grant (no organisation: "org" roles are strangers)."""
    return {
        "anonymous": None,
        "grantee": grant.application.applicant,
        "other_applicant": UserFactory(),
        "org_editor": UserFactory(),
        "org_viewer": UserFactory(),
        "reviewer": UserFactory(),
        "staff": staff,
    }


@pytest.mark.parametrize(
    "data,message",
    [
        ({"file": lambda: png_upload(), "signed_on": "today"}, b"Enter a valid date"),
        ({"file": lambda: png_upload(), "signed_on": "2020-01-01"}, b"as a PDF"),
        ({"signed_on": "2020-01-01"}, b"This field is required"),
    ],
)
def test_agreement_upload_errors(client, data, message):
    grant = awarded_grant()
    payload = {k: v() if callable(v) else v for k, v in data.items()}
    response = as_(client, StaffFactory()).post(
        reverse("grants:staff_grant_agreement", args=[grant.pk]), payload
    )
    assert response.status_code == 400 and message in response.content
    grant.refresh_from_db()
    assert grant.status == G.AWARDED and not grant.agreement_file


def test_agreement_upload_says_what_activation_still_needs(client):
    """Issue 12, item 25: the page says what is missing before and after a refused upload."""
    grant = awarded_grant()
    staff = StaffFactory()
    page = as_(client, staff).get(reverse("grants:staff_grant", args=[grant.pk])).content.decode()
    lead = "The grant becomes active once its disbursement plan adds up and its final reports are set:"
    for text in (lead, "No disbursement plan has been set.", "A final financial report is required."):
        assert text in page
    response = client.post(
        reverse("grants:staff_grant_agreement", args=[grant.pk]),
        {"file": pdf_upload(), "signed_on": TODAY().isoformat(), "release_first": "on"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The agreement was not saved." in content
    assert (
        content.count("No disbursement plan has been set.") >= 1
        and "A final narrative report is required." in content
    )
    grant.refresh_from_db()
    assert grant.status == G.AWARDED and not grant.agreement_file
    ready = ready_grant(staff=staff)
    assert lead not in as_(client, staff).get(reverse("grants:staff_grant", args=[ready.pk])).content.decode()


@pytest.mark.parametrize("first_waits", [False, True])
def test_agreement_upload_says_what_became_of_the_first_tranche(client, first_waits):
    staff = StaffFactory()
    grant = ready_grant(staff=staff)
    if first_waits:
        Tranche.objects.filter(grant=grant, number=1).update(after_report=grant.reports.get(period="interim"))
    response = as_(client, staff).post(
        reverse("grants:staff_grant_agreement", args=[grant.pk]),
        {"file": pdf_upload(), "signed_on": TODAY().isoformat(), "release_first": "on"},
        follow=True,
    )
    assert response.status_code == 200
    content = response.content.decode()
    first = grant.tranches.get(number=1)
    if first_waits:
        assert first.status == T.PLANNED
        assert "Tranche 1 waits for the report" in content
        assert "it is released when that report is accepted" in content
    else:
        assert first.status == T.RELEASED
        assert "Tranche 1 is released for payment." in content


def test_agreement_upload_on_closed_grant_is_400(client):
    grant = awarded_grant()
    staff = StaffFactory()
    awards.grant_terminate(actor=staff, grant=grant, reason="x")
    response = as_(client, staff).post(
        reverse("grants:staff_grant_agreement", args=[grant.pk]),
        {"file": pdf_upload(), "signed_on": TODAY().isoformat()},
    )
    assert response.status_code == 400 and b"cannot be changed" in response.content


def _plan_post(rows):
    data = {}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"t-{i}-{key}"] = value
    return data


def test_matrix_tranche_plan(client):
    staff = StaffFactory()
    grant = awarded_grant(staff=staff)
    world = {"grant": grant, "staff": staff, "people": _people_for(grant, staff)}
    url = reverse("grants:staff_grant_tranches", args=[grant.pk])
    data = _plan_post(
        [
            {"number": "1", "amount": "1000", "planned_on": TODAY().isoformat()},
            {"number": "2", "amount": "3000.00", "planned_on": TODAY().isoformat(), "condition": "Mid-term"},
        ]
    )
    matrix(client, world, "post", url, {**STAFF_ONLY, "org_editor": 404, "org_viewer": 404}, data)
    assert list(grant.tranches.values_list("amount", flat=True)) == [Decimal("1000.00"), Decimal("3000.00")]


@pytest.mark.parametrize(
    "rows,message",
    [
        ([{"amount": "1000", "planned_on": "2026-05-01"}], b"must add up to the grant"),
        ([{"amount": "1000000000000", "planned_on": "2026-05-01"}], b"too large"),
        ([{"amount": "1e999999", "planned_on": "2026-05-01"}], b"not an amount"),
        ([{"amount": "4000", "planned_on": "2026-13-45"}], b"valid date"),
        ([{"number": "99999999999999999999", "amount": "4000", "planned_on": "2026-05-01"}], b"whole number"),
        ([{"amount": "4000", "planned_on": "2026-05-01", "after_report": "abc"}], b"this grant"),
        ([], b"at least one tranche"),
    ],
)
def test_tranche_plan_errors_are_400(client, rows, message):
    staff = StaffFactory()
    grant = awarded_grant(staff=staff)
    response = as_(client, staff).post(
        reverse("grants:staff_grant_tranches", args=[grant.pk]), _plan_post(rows)
    )
    assert response.status_code == 400 and message in response.content
    assert not grant.tranches.exists()


def test_tranche_plan_locked_is_400(client, world):
    before = state(world["grant"])
    response = as_(client, world["staff"]).post(
        reverse("grants:staff_grant_tranches", args=[world["grant"].pk]),
        _plan_post([{"amount": "4000", "planned_on": "2026-05-01"}]),
    )
    assert response.status_code == 400 and b"already been released" in response.content
    assert state(world["grant"]) == before


def test_matrix_reporting_duties(client, world):
    grant = world["grant"]
    reports = list(grant.reports.order_by("pk"))
    data = {}
    for i, report in enumerate(reports):
        data.update(
            {
                f"r-{i}-id": str(report.pk),
                f"r-{i}-period": report.period,
                f"r-{i}-kind": report.kind,
                f"r-{i}-due_on": report.due_on.isoformat(),
            }
        )
    data.update({"r-3-period": "interim", "r-3-kind": "financial", "r-3-due_on": "2026-09-30"})
    url = reverse("grants:staff_grant_duties", args=[grant.pk])
    matrix(client, world, "post", url, STAFF_ONLY, data)
    assert grant.reports.count() == 4


def test_reporting_duties_errors(client, world):
    grant = world["grant"]
    before = state(grant)
    response = as_(client, world["staff"]).post(
        reverse("grants:staff_grant_duties", args=[grant.pk]),
        {"r-0-period": "final", "r-0-kind": "narrative", "r-0-due_on": "2026-10-10", "r-0-id": "x"},
    )
    assert response.status_code == 400 and b"not part of this grant" in response.content
    assert b"final financial report is required" in response.content
    assert state(grant) == before


def test_matrix_tranche_release_and_paid(client, world):
    grant = world["grant"]
    first = grant.tranches.get(number=1)
    second = grant.tranches.get(number=2)
    url = reverse("grants:staff_tranche_paid", args=[grant.pk, first.pk])
    matrix(client, world, "post", url, STAFF_ONLY, {"paid_on": TODAY().isoformat()})
    first.refresh_from_db()
    assert first.status == T.PAID and first.paid_on == TODAY()
    # the second waits for the interim report: a 400 with the reason, nothing changed
    before = state(grant)
    response = as_(client, world["staff"]).post(
        reverse("grants:staff_tranche_release", args=[grant.pk, second.pk])
    )
    assert response.status_code == 400 and b"is accepted" in response.content
    assert state(grant) == before
    report = grant.reports.get(period="interim")
    GrantReport.objects.filter(pk=report.pk).update(status=R.ACCEPTED)
    matrix(
        client, world, "post", reverse("grants:staff_tranche_release", args=[grant.pk, second.pk]), STAFF_ONLY
    )
    second.refresh_from_db()
    assert second.status == T.RELEASED


@pytest.mark.parametrize("paid_on", ["", "yesterday", "2999-01-01", "0001-01-01"])
def test_mark_paid_bad_dates_are_400(client, world, paid_on):
    grant = world["grant"]
    first = grant.tranches.get(number=1)
    response = as_(client, world["staff"]).post(
        reverse("grants:staff_tranche_paid", args=[grant.pk, first.pk]), {"paid_on": paid_on}
    )
    assert response.status_code == 400
    first.refresh_from_db()
    assert first.status == T.RELEASED


def test_tranche_of_another_grant_is_404(client, world):
    other = active_grant()
    tranche = other.tranches.get(number=1)
    response = as_(client, world["staff"]).post(
        reverse("grants:staff_tranche_paid", args=[world["grant"].pk, tranche.pk]),
        {"paid_on": TODAY().isoformat()},
    )
    assert response.status_code == 404


def test_matrix_close_refused_with_open_items(client, world):
    grant = world["grant"]
    expected = {**STAFF_ONLY, "staff": 400}
    matrix(
        client, world, "post", reverse("grants:staff_grant_close", args=[grant.pk]), expected, {"note": ""}
    )
    response = as_(client, world["staff"]).post(reverse("grants:staff_grant_close", args=[grant.pk]))
    assert b"cannot be closed yet" in response.content and b"Tranche 2" in response.content


def test_close_through_the_page(client, world):
    grant = world["grant"]
    staff = world["staff"]
    for report in grant.reports.all():
        awards.grant_report_submit(actor=world["people"]["grantee"], report=report, text="ok")
        awards.grant_report_accept(actor=staff, report=report)
    for tranche in grant.tranches.all():
        awards.tranche_mark_paid(actor=staff, tranche=tranche, paid_on=TODAY())
    assert (
        b"Close the grant" in as_(client, staff).get(reverse("grants:staff_grant", args=[grant.pk])).content
    )
    response = as_(client, staff).post(reverse("grants:staff_grant_close", args=[grant.pk]), {"note": "Done"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == G.CLOSED


def test_matrix_terminate(client, world):
    grant = world["grant"]
    url = reverse("grants:staff_grant_terminate", args=[grant.pk])
    response = as_(client, world["staff"]).post(url, {"reason": "  "})
    assert response.status_code == 400
    matrix(client, world, "post", url, STAFF_ONLY, {"reason": "Funds misused."})
    grant.refresh_from_db()
    assert grant.status == G.TERMINATED and grant.closing_note == "Funds misused."
    content = (
        as_(client, world["people"]["grantee"]).get(reverse("grants:grant_detail", args=[grant.pk])).content
    )
    assert b"Funds misused." in content
    response = as_(client, world["staff"]).post(url, {"reason": "again"})
    assert response.status_code == 400


def test_unknown_ids_are_404(client, world):
    staff = world["staff"]
    as_(client, staff)
    assert client.get(reverse("grants:grant_detail", args=[999999])).status_code == 404
    assert client.get(reverse("grants:staff_grant", args=[999999])).status_code == 404
    assert client.get(reverse("grants:grant_report", args=[world["grant"].pk, 999999])).status_code == 404
    assert client.get(f"/en/grants/awards/{world['grant'].pk}/reports/abc/").status_code == 404
    assert client.get(reverse("grants:staff_grant_agreement", args=[world["grant"].pk])).status_code == 405


# --- the staff list ---------------------------------------------------------------------------


REFERENCES = itertools.count(1)


def _bulk_grants(n, call, overdue=False):
    today = TODAY()
    for _ in range(n):
        application = ApplicationFactory(
            call=call, status=ApplicationStatus.APPROVED, reference=f"CEA-2099-{next(REFERENCES):05d}"
        )
        grant = Grant.objects.create(
            application=application, call=call, amount=Decimal("1000.00"), status=G.ACTIVE
        )
        GrantReport.objects.create(
            grant=grant,
            period="final",
            kind="narrative",
            due_on=today - timedelta(days=1 if overdue else -30),
        )
        GrantReport.objects.create(
            grant=grant, period="final", kind="financial", due_on=today + timedelta(days=30)
        )
        Tranche.objects.create(grant=grant, number=1, amount=Decimal("400"), planned_on=today, status=T.PAID)
        Tranche.objects.create(grant=grant, number=2, amount=Decimal("600"), planned_on=today)


def test_staff_list_filters(client):
    staff = StaffFactory()
    call_a, call_b = CallFactory(), CallFactory()
    _bulk_grants(2, call_a)
    _bulk_grants(1, call_b, overdue=True)
    as_(client, staff)
    url = reverse("grants:staff_grants")
    assert len(client.get(url).context["grants"]) == 3
    assert len(client.get(url, {"call": call_a.pk}).context["grants"]) == 2
    response = client.get(url, {"overdue": "on"})
    (grant,) = response.context["grants"]
    assert grant.call == call_b and grant.overdue_reports == 1 and grant.paid_total == Decimal("400.00")
    assert b"1 overdue" in response.content
    assert len(client.get(url, {"status": "closed"}).context["grants"]) == 0
    assert client.get(url, {"call": "abc"}).status_code == 400
    assert client.get(url, {"status": "nope"}).status_code == 400
    assert client.get(url, {"page": "999"}).status_code == 200
    ref = grant.application.reference
    assert [g.pk for g in client.get(url, {"q": ref}).context["grants"]] == [grant.pk]


def test_staff_list_query_count_does_not_grow(client):
    staff = StaffFactory()
    call = CallFactory()
    as_(client, staff)
    url = reverse("grants:staff_grants")
    _bulk_grants(3, call)
    client.get(url)  # warm-up (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _bulk_grants(6, call, overdue=True)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["grants"]) == 9
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_pages_render_in_each_language(client, world, language):
    grant = world["grant"]
    report = grant.reports.get(period="interim")
    with translation.override(language):
        urls = [
            reverse("grants:grant_detail", args=[grant.pk]),
            reverse("grants:grant_report", args=[grant.pk, report.pk]),
            reverse("grants:staff_grant", args=[grant.pk]),
            reverse("grants:staff_grants"),
        ]
    for url in urls:
        assert url.startswith(f"/{language}/")
        user = world["staff"] if "/manage/" in url else world["people"]["grantee"]
        response = as_(client, user).get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_staff_page_of_an_awarded_grant_and_rows_kept_after_an_error(client):
    staff = StaffFactory()
    grant = awarded_grant(staff=staff)
    as_(client, staff)
    content = client.get(reverse("grants:staff_grant", args=[grant.pk])).content.decode()
    assert "Register the signed agreement" in content
    assert "Edit the disbursement plan" in content and 'name="t-0-amount"' in content
    assert 'name="r-0-period"' in content and "Close the grant" not in content
    response = client.post(
        reverse("grants:staff_grant_tranches", args=[grant.pk]),
        _plan_post([{"amount": "1234.56", "planned_on": "2026-05-01", "condition": "Kushti ë"}]),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="1234.56"' in content and 'value="Kushti ë"' in content and "2026-05-01" in content
    detail = as_(client, grant.application.applicant).get(reverse("grants:grant_detail", args=[grant.pk]))
    assert b"Payments start once the signed agreement is registered" in detail.content
    assert b"Not signed yet." in detail.content


def test_the_payment_and_agreement_dates_say_their_time_zone(client):
    """Issue 12, item 26: the dates typed are days in Europe/Belgrade time, and the page says so."""
    staff = StaffFactory()
    hint = "Dates are days in Europe/Belgrade time, the portal&#x27;s time zone."
    awarded = as_(client, staff).get(reverse("grants:staff_grant", args=[ready_grant(staff=staff).pk]))
    assert "Dates are days in Europe/Belgrade time, the portal's time zone." in awarded.content.decode()
    active = client.get(reverse("grants:staff_grant", args=[active_grant(staff=staff).pk])).content.decode()
    assert 'aria-describedby="portal-dates-help"' in active
    assert f'<p class="small text-body-secondary" id="portal-dates-help">{hint}</p>' in active
