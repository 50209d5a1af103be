"""Staff-only portal pages outside /admin/ ask for the same second factor (TOTP) as the
admin: the staff pages' declarations (core.permissions.staff_page)."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from core.models import Municipality
from giving.choices import Status
from giving.models import GivingRecord
from tests.accounts.helpers import activate_totp, login_with_password, login_with_totp
from tests.giving.factories import GivingRecordFactory
from tests.transparency.factories import (
    BoardMemberFactory,
    ReportDocumentFactory,
    TransparencyReportFactory,
    private_files,  # noqa: F401  (fixture)
)
from transparency.choices import DocumentKind, ReportStatus
from transparency.models import TransparencyReport

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def objects():
    original = GivingRecordFactory()
    duplicate = GivingRecordFactory(possible_duplicate_of=original)
    report = TransparencyReportFactory(submitted=True)
    BoardMemberFactory(report=report)
    report.municipalities.set(Municipality.objects.all()[:1])
    ReportDocumentFactory(report=report, kind=DocumentKind.STATUTE)
    return {"record": duplicate, "report": report}


# name, method, URL from the objects, POST data, refusal to non-staff, status for staff after MFA
PAGES = [
    ("giving:moderation", "get", lambda o: reverse("giving:moderation"), None, 403, 200),
    (
        "giving:moderation_bulk",
        "post",
        lambda o: reverse("giving:moderation_bulk"),
        lambda o: {"ids": [o["record"].pk], "action": "verify"},
        403,
        302,
    ),
    (
        "giving:record_moderate",
        "post",
        lambda o: reverse("giving:record_moderate", args=[o["record"].pk]),
        lambda o: {"action": "reject", "reason": "Spam"},
        403,
        302,
    ),
    (
        "giving:record_compare",
        "get",
        lambda o: reverse("giving:record_compare", args=[o["record"].pk]),
        None,
        403,
        200,
    ),
    (
        "transparency:report_review_queue",
        "get",
        lambda o: reverse("transparency:report_review_queue"),
        None,
        403,
        200,
    ),
    # The report pages hide other organisations' reports: 404 to an outsider, as before.
    (
        "transparency:report_review",
        "get",
        lambda o: reverse("transparency:report_review", args=[o["report"].pk]),
        None,
        404,
        200,
    ),
    (
        "transparency:report_publish",
        "post",
        lambda o: reverse("transparency:report_publish", args=[o["report"].pk]),
        lambda o: {},
        404,
        302,
    ),
    (
        "transparency:report_return",
        "post",
        lambda o: reverse("transparency:report_return", args=[o["report"].pk]),
        lambda o: {"comments": "Add the audit."},
        404,
        302,
    ),
    ("transparency:funding_import", "get", lambda o: reverse("transparency:funding_import"), None, 403, 200),
    (
        "transparency:funding_import_template",
        "get",
        lambda o: reverse("transparency:funding_import_template"),
        None,
        403,
        200,
    ),
    (
        "transparency:funding_reconciliation",
        "get",
        lambda o: reverse("transparency:funding_reconciliation"),
        None,
        403,
        200,
    ),
    (
        "transparency:comment_moderation",
        "get",
        lambda o: reverse("transparency:comment_moderation"),
        None,
        403,
        200,
    ),
]
pages = pytest.mark.parametrize(
    "method,make_url,make_data,refused,allowed", [p[1:] for p in PAGES], ids=[p[0] for p in PAGES]
)


def _request(client, method, make_url, make_data, objects):
    url = make_url(objects)
    if method == "get":
        return url, client.get(url)
    return url, client.post(url, make_data(objects))


def _unchanged(objects):
    record = GivingRecord.objects.get(pk=objects["record"].pk)
    report = TransparencyReport.objects.get(pk=objects["report"].pk)
    return record.status == Status.REPORTED and report.status == ReportStatus.SUBMITTED


@pages
def test_anonymous_goes_to_login(client, objects, method, make_url, make_data, refused, allowed):
    _, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert _unchanged(objects)


@pages
def test_non_staff_is_refused(client, user, objects, method, make_url, make_data, refused, allowed):
    login_with_password(client, user)
    _, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == refused
    assert _unchanged(objects)


@pages
def test_staff_without_totp_is_sent_to_set_it_up(
    client, staff_user, objects, method, make_url, make_data, refused, allowed
):
    login_with_password(client, staff_user)
    url, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?{urlencode({'next': url})}"
    assert _unchanged(objects)


@pages
def test_staff_whose_session_did_not_pass_mfa_must_reauthenticate(
    client, staff_user, objects, method, make_url, make_data, refused, allowed
):
    login_with_password(client, staff_user)  # TOTP added afterwards: this session never gave a code
    activate_totp(staff_user)
    url, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': url})}"
    assert _unchanged(objects)


@pages
def test_force_logged_in_staff_with_totp_must_reauthenticate(
    client, totp_staff, objects, method, make_url, make_data, refused, allowed
):
    client.force_login(totp_staff, backend="django.contrib.auth.backends.ModelBackend")
    url, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': url})}"


@pages
def test_staff_after_password_and_code_is_let_in(
    client, totp_staff, objects, method, make_url, make_data, refused, allowed
):
    response = login_with_totp(client, totp_staff, totp_staff.totp_secret)
    assert response.status_code == 302
    _, response = _request(client, method, make_url, make_data, objects)
    assert response.status_code == allowed
    if allowed == 302:
        assert "/accounts/" not in response["Location"]
        assert not _unchanged(objects)
