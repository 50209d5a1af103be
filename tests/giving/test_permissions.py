"""Permission matrix: every record page × anonymous / citizen / CSO viewer / CSO editor /
recipient-organisation editor / staff, asserting on status and on the database."""

import pytest
from django.urls import reverse

from giving.choices import Source, Status
from giving.models import GivingRecord
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.giving.factories import GivingRecordFactory, public_report_data, record_form_data
from tests.helpers import login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "viewer", "editor", "recipient_editor", "staff"]
LOGIN = "login"


@pytest.fixture
def people(db):
    """`org` (the CSO that entered the record: viewer, editor) and `recipient` (the
    organisation that received the gift: recipient_editor)."""
    org = factories.OrganizationFactory()
    recipient = factories.OrganizationFactory()
    return {
        "org": org,
        "recipient": recipient,
        "anonymous": None,
        "citizen": factories.UserFactory(),
        "viewer": member_of(org, Membership.Role.VIEWER),
        "editor": member_of(org, Membership.Role.EDITOR),
        "recipient_editor": member_of(recipient, Membership.Role.EDITOR),
        "staff": factories.StaffFactory(),
    }


def _record(people, **kwargs):
    """A record a colleague of `editor` entered for `org`, received by `recipient`."""
    defaults = {
        "entered_for": people["org"],
        "entered_by": member_of(people["org"], Membership.Role.EDITOR),
        "recipient_organization": people["recipient"],
        "source": Source.CSO_SELF,
    }
    defaults.update(kwargs)
    return GivingRecordFactory(**defaults)


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected, response.content[:400]


def _matrix(**expected):
    assert set(expected) == set(ROLES)
    return pytest.mark.parametrize("role,expected", list(expected.items()))


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=200, recipient_editor=200, staff=200)
def test_record_add_get(client, people, role, expected):
    _check(login(client, people[role]).get(reverse("giving:record_add")), expected)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=302, recipient_editor=302, staff=302)
def test_record_add_post(client, people, role, expected):
    user = people[role]
    data = record_form_data()
    if role == "editor":
        data["entered_for"] = people["org"].pk
    elif role == "recipient_editor":
        data["entered_for"] = people["recipient"].pk
    response = login(client, user).post(reverse("giving:record_add"), data)
    _check(response, expected)
    record = GivingRecord.objects.first()
    if expected != 302:
        assert record is None
        return
    assert record.entered_by == user and record.status == Status.REPORTED
    assert record.source == (Source.STAFF if role == "staff" else Source.CSO_SELF)
    assert record.history.get().history_user == user


def test_cso_editor_cannot_enter_for_another_organisation(client, people):
    data = record_form_data(entered_for=people["recipient"].pk)
    response = login(client, people["editor"]).post(reverse("giving:record_add"), data)
    assert response.status_code == 400
    assert not GivingRecord.objects.exists()


def test_only_staff_may_verify_at_once(client, people):
    data = record_form_data(entered_for=people["org"].pk, verify_now="on", source=Source.STAFF)
    login(client, people["editor"]).post(reverse("giving:record_add"), data)
    assert GivingRecord.objects.get().status == Status.REPORTED
    GivingRecord.objects.all().delete()
    login(client, people["staff"]).post(reverse("giving:record_add"), record_form_data(verify_now="on"))
    record = GivingRecord.objects.get()
    assert record.status == Status.VERIFIED and record.reviewed_by == people["staff"]


@pytest.mark.parametrize("role", ROLES)
def test_report_gift_open_to_everyone(client, people, role):
    c = login(client, people[role])
    assert c.get(reverse("giving:report_gift")).status_code == 200
    response = c.post(reverse("giving:report_gift"), public_report_data())
    assert response.status_code == 302
    record = GivingRecord.objects.get()
    assert record.status == Status.REPORTED and record.source == Source.PUBLIC


@_matrix(anonymous=LOGIN, citizen=200, viewer=200, editor=200, recipient_editor=200, staff=200)
def test_my_records(client, people, role, expected):
    record = _record(people)
    response = login(client, people[role]).get(reverse("giving:my_records"))
    _check(response, expected)
    if expected != 200:
        return
    html = response.content.decode()
    listed = reverse("giving:record_detail", kwargs={"pk": record.pk}) in html
    assert listed is (role in ("editor", "recipient_editor"))
    confirm = reverse("giving:record_confirm", kwargs={"pk": record.pk})
    assert (confirm in html) is (role == "recipient_editor")


@pytest.mark.parametrize("status", ["reported", "verified", "rejected"])
@pytest.mark.parametrize("role", ROLES)
def test_record_detail(client, people, role, status):
    record = _record(people, status=status, rejection_reason="No." if status == "rejected" else "")
    response = login(client, people[role]).get(reverse("giving:record_detail", kwargs={"pk": record.pk}))
    visible = status == "verified" or role in ("editor", "recipient_editor", "staff")
    assert response.status_code == (200 if visible else 404)
    if visible:
        html = response.content.decode()
        assert ('id="history-h"' in html) is (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_private_donor_name_only_for_those_who_may_see_it(client, people, role):
    record = _record(
        people, verified=True, donor_type="individual", donor_name="Drita Hoxha", donor_name_public=False
    )
    html = (
        login(client, people[role])
        .get(reverse("giving:record_detail", kwargs={"pk": record.pk}))
        .content.decode()
    )
    assert ("Drita Hoxha" in html) is (role in ("editor", "recipient_editor", "staff"))


@_matrix(anonymous=LOGIN, citizen=404, viewer=404, editor=302, recipient_editor=302, staff=302)
def test_record_confirm_as_recipient(client, people, role, expected):
    record = _record(people)
    response = login(client, people[role]).post(
        reverse("giving:record_confirm", kwargs={"pk": record.pk}), {"side": "recipient"}
    )
    record.refresh_from_db()
    if expected == 302 and role in ("editor", "staff"):
        # They may see the record but do not speak for the recipient: refused.
        assert response.status_code == 403
        assert record.confirmed_by_recipient_at is None
        return
    _check(response, expected)
    assert (record.confirmed_by_recipient_at is not None) is (role == "recipient_editor")


@pytest.mark.parametrize(
    "next_value, lands_on",
    [
        ("-1", "my_records"),  # redirect() took it for a view's name: a 500
        ("1e309", "my_records"),
        ("https://evil.example/", "my_records"),
        ("//evil.example/", "my_records"),
        ("/en/giving/", "/en/giving/"),
    ],
)
@pytest.mark.parametrize("side", ["recipient", ""])  # confirmed, and refused by the form
def test_record_confirm_goes_back_only_to_a_page_of_this_site(client, people, next_value, lands_on, side):
    record = _record(people)
    response = login(client, people["recipient_editor"]).post(
        reverse("giving:record_confirm", kwargs={"pk": record.pk}), {"side": side, "next": next_value}
    )
    assert response.status_code == 302
    expected = reverse("giving:my_records") if lands_on == "my_records" else lands_on
    assert response["Location"] == expected


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, recipient_editor=403, staff=200)
def test_moderation_queue(client, people, role, expected):
    record = _record(people)
    response = login(client, people[role]).get(reverse("giving:moderation"))
    _check(response, expected)
    if expected == 200:
        assert reverse("giving:record_detail", kwargs={"pk": record.pk}) in response.content.decode()


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, recipient_editor=403, staff=302)
def test_moderation_bulk(client, people, role, expected):
    record = _record(people)
    response = login(client, people[role]).post(
        reverse("giving:moderation_bulk"), {"ids": [record.pk], "action": "verify"}
    )
    _check(response, expected)
    record.refresh_from_db()
    assert (record.status == Status.VERIFIED) is (expected == 302)


@_matrix(anonymous=LOGIN, citizen=403, viewer=403, editor=403, recipient_editor=403, staff=302)
def test_record_moderate(client, people, role, expected):
    record = _record(people)
    response = login(client, people[role]).post(
        reverse("giving:record_moderate", kwargs={"pk": record.pk}), {"action": "reject", "reason": "Spam"}
    )
    _check(response, expected)
    record.refresh_from_db()
    assert (record.status == Status.REJECTED) is (expected == 302)


@pytest.mark.parametrize("status", ["reported", "verified"])
@pytest.mark.parametrize("role", [*ROLES, "author"])
def test_record_edit(client, people, role, status):
    record = _record(people, status=status)
    user = record.entered_by if role == "author" else people[role]
    url = reverse("giving:record_edit", kwargs={"pk": record.pk})
    may_edit = role == "staff" or (role == "author" and status == "reported")
    response = login(client, user).post(url, record_form_data(amount="777"))
    record.refresh_from_db()
    if role == "anonymous":
        _check(response, LOGIN)
    elif may_edit:
        assert response.status_code == 302
    elif status == "verified" or role in ("editor", "recipient_editor", "author"):
        assert response.status_code == 403  # may see it, may not change it
    else:
        assert response.status_code == 404  # may not even see it
    assert (str(record.amount) == "777.00") is may_edit
