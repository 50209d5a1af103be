"""Bad input on the record pages, the public form's abuse protection, ids of other
people's records, and query counts of the lists."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from giving.choices import Status
from giving.models import GivingRecord
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.giving.factories import GivingRecordFactory, public_report_data, record_form_data
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

FUTURE = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()


@pytest.fixture
def staff_client(client):
    return login(client, factories.StaffFactory())


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"amount": "-5"}, "amount", "Enter an amount above 0"),
        ({"amount": "0"}, "amount", "Enter an amount above 0"),
        ({"amount": "100000000.01"}, "amount", "Enter an amount above 0"),
        ({"amount": "lots"}, "amount", None),
        ({"date": FUTURE}, "date", "cannot be in the future"),
        ({"date": "31/02/2024"}, "date", None),
        (
            {"donor_type": "diaspora_individual", "donor_country": ""},
            "donor_country",
            "country where the donor lives",
        ),
        ({"geography": "municipality", "municipality": ""}, "municipality", "Choose the municipality"),
        ({"municipality": "99999"}, "municipality", None),
        ({"cause": "astrology"}, "cause", None),
        ({"source": "media", "source_url": ""}, "source_url", "link to the news item"),
        ({"source": "public"}, "source", None),
        ({"source_url": "javascript:alert(1)"}, "source_url", None),
    ],
)
def test_record_add_bad_input(staff_client, settings, overrides, field, message):
    response = staff_client.post(
        reverse("giving:record_add"), record_form_data(**overrides), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert message in " ".join(form.errors[field])
        assert message in response.content.decode()
    assert not GivingRecord.objects.exists()


def test_diaspora_and_place_fields_are_cleared_when_they_do_not_apply(staff_client):
    data = record_form_data(donor_country="DE", diaspora_channel="crowdfunding", geography="kosovo_wide")
    assert staff_client.post(reverse("giving:record_add"), data).status_code == 302
    record = GivingRecord.objects.get()
    assert record.donor_country == "" and record.diaspora_channel == ""
    assert record.municipality is None and not record.is_diaspora


def test_diaspora_record(staff_client):
    data = record_form_data(
        donor_type="diaspora_organization", donor_country="AT", diaspora_channel="hometown_association"
    )
    assert staff_client.post(reverse("giving:record_add"), data).status_code == 302
    record = GivingRecord.objects.get()
    assert record.is_diaspora and record.donor_country == "AT"


def test_duplicate_is_a_form_error_naming_the_record(staff_client):
    staff_client.post(reverse("giving:record_add"), record_form_data())
    existing = GivingRecord.objects.get()
    response = staff_client.post(reverse("giving:record_add"), record_form_data())
    assert response.status_code == 400
    assert f"#{existing.pk}" in response.content.decode()
    assert GivingRecord.objects.count() == 1


def test_near_duplicate_saved_with_warning(staff_client):
    staff_client.post(reverse("giving:record_add"), record_form_data())
    first = GivingRecord.objects.get()
    response = staff_client.post(
        reverse("giving:record_add"), record_form_data(amount="2520", donor_name="Another"), follow=True
    )
    assert response.status_code == 200
    second = GivingRecord.objects.exclude(pk=first.pk).get()
    assert second.possible_duplicate_of == first
    assert f"#{first.pk}" in " ".join(str(m) for m in response.context["messages"])


def test_page_includes_progressive_js_without_inline_script(staff_client):
    html = staff_client.get(reverse("giving:record_add")).content.decode()
    assert 'src="/static/giving/js/record_form.js"' in html
    assert "<script>" not in html
    assert 'data-show-for="diaspora"' in html and 'data-show-for="municipality"' in html


# --- public form --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"amount": "-1"}, "amount"),
        ({"date": FUTURE}, "date"),
        ({"donor_country": ""}, "donor_country"),
        ({"municipality": ""}, "municipality"),
        ({"recipient_type": "alien"}, "recipient_type"),
        ({"reporter_email": "not-an-email"}, "reporter_email"),
    ],
)
def test_public_report_bad_input(client, overrides, field):
    response = client.post(reverse("giving:report_gift"), public_report_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not GivingRecord.objects.exists()


def test_public_report_saved_reported(client):
    response = client.post(
        reverse("giving:report_gift"), public_report_data(reporter_email="me@example.org"), follow=True
    )
    assert response.status_code == 200
    record = GivingRecord.objects.get()
    assert (record.status, record.source, record.entered_by) == (Status.REPORTED, "public", None)
    assert record.reporter_email == "me@example.org"
    assert record.is_diaspora and record.donor_country == "CH" and not record.donor_name_public
    # not public until verified
    assert client.get(reverse("giving:record_detail", kwargs={"pk": record.pk})).status_code == 404


def test_public_report_of_a_known_gift_is_thanked_alike_and_flagged(client):
    """Issue 12 item 9: a visitor is never told that a gift is already recorded (that would
    confirm a guessed private donor name): the same thanks, and the second report waits for
    the moderators flagged as a possible duplicate of the first."""
    first = client.post(reverse("giving:report_gift"), public_report_data(), follow=True)
    second = client.post(reverse("giving:report_gift"), public_report_data(), follow=True)
    assert first.status_code == second.status_code == 200
    assert not first.context["already_known"] and not second.context["already_known"]
    original, report = GivingRecord.objects.order_by("pk")
    assert report.possible_duplicate_of == original and report.status == Status.REPORTED


def test_honeypot(client):
    response = client.post(reverse("giving:report_gift"), public_report_data(website="http://spam.example"))
    assert response.status_code == 302  # the bot sees success
    assert not GivingRecord.objects.exists()


def test_rate_limit(client, settings):
    cache.clear()
    url = reverse("giving:report_gift")
    for n in range(10):
        response = client.post(url, public_report_data(amount=str(100 + n * 50)))
        assert response.status_code == 302
    response = client.post(url, public_report_data(amount="9999"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "try again in an hour" in response.content.decode()
    assert GivingRecord.objects.count() == 10
    # another address is not limited
    assert client.post(url, public_report_data(amount="7777"), REMOTE_ADDR="10.0.0.9").status_code == 302


# --- ids of other people's records --------------------------------------------------------


@pytest.mark.parametrize("name", ["record_detail", "record_edit"])
def test_other_peoples_records_are_404(client, name):
    record = GivingRecordFactory()  # reported, entered by someone else
    login(client, factories.UserFactory())
    assert client.get(reverse(f"giving:{name}", kwargs={"pk": record.pk})).status_code == 404
    assert client.get(reverse(f"giving:{name}", kwargs={"pk": 987654})).status_code == 404


def test_confirm_other_peoples_record_is_404(client):
    record = GivingRecordFactory(recipient_organization=factories.OrganizationFactory())
    login(client, factories.UserFactory())
    response = client.post(reverse("giving:record_confirm", kwargs={"pk": record.pk}), {"side": "recipient"})
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.confirmed_by_recipient_at is None


def test_confirm_bad_side(client):
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=org)
    login(client, member_of(org, Membership.Role.EDITOR))
    response = client.post(reverse("giving:record_confirm", kwargs={"pk": record.pk}), {"side": "both"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.confirmed_by_recipient_at is None


def test_confirm_redirect_ignores_foreign_next(client):
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=org)
    login(client, member_of(org, Membership.Role.EDITOR))
    response = client.post(
        reverse("giving:record_confirm", kwargs={"pk": record.pk}),
        {"side": "recipient", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("giving:my_records")


# --- moderation ---------------------------------------------------------------------------


def test_bulk_reject_without_reason_is_400_and_changes_nothing(staff_client):
    records = GivingRecordFactory.create_batch(2)
    response = staff_client.post(
        reverse("giving:moderation_bulk"),
        {"ids": [r.pk for r in records], "action": "reject", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Give a reason for the rejection." in response.content.decode()
    assert not GivingRecord.objects.exclude(status=Status.REPORTED).exists()


@pytest.mark.parametrize("ids", [[], ["abc"]])
def test_bulk_bad_ids(staff_client, ids):
    record = GivingRecordFactory()
    response = staff_client.post(reverse("giving:moderation_bulk"), {"ids": ids, "action": "verify"})
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.status == Status.REPORTED


def test_bulk_reject_with_reason_and_skips(staff_client):
    reported = GivingRecordFactory()
    verified = GivingRecordFactory(verified=True)
    response = staff_client.post(
        reverse("giving:moderation_bulk"),
        {
            "ids": [reported.pk, verified.pk],
            "action": "reject",
            "reason": "Double entry",
            "next": "/sq/giving/records/moderation/?source=staff",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/sq/giving/records/moderation/?source=staff"
    reported.refresh_from_db()
    verified.refresh_from_db()
    assert reported.status == Status.REJECTED and verified.status == Status.VERIFIED


def test_moderation_filters(staff_client):
    a = GivingRecordFactory(media=True)
    b = GivingRecordFactory()
    dup = GivingRecordFactory(possible_duplicate_of=b)
    html = staff_client.get(reverse("giving:moderation"), {"source": "media"}).content.decode()
    assert f"#{a.pk} " in html and f"#{b.pk} " not in html
    html = staff_client.get(reverse("giving:moderation"), {"duplicates": "on"}).content.decode()
    assert f"#{dup.pk} " in html and f"#{a.pk} " not in html
    assert reverse("giving:record_compare", kwargs={"pk": dup.pk}) in html
    compare = staff_client.get(reverse("giving:record_compare", kwargs={"pk": dup.pk}))
    assert compare.status_code == 200
    assert staff_client.get(reverse("giving:moderation"), {"confidence": "nonsense"}).status_code == 400


def test_record_moderate_reject_without_reason(staff_client):
    record = GivingRecordFactory()
    response = staff_client.post(
        reverse("giving:record_moderate", kwargs={"pk": record.pk}), {"action": "reject"}
    )
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.status == Status.REPORTED


def test_record_moderate_refused_move(staff_client):
    record = GivingRecordFactory(verified=True)
    response = staff_client.post(
        reverse("giving:record_moderate", kwargs={"pk": record.pk}), {"action": "reopen"}
    )
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.status == Status.VERIFIED


# --- query counts -------------------------------------------------------------------------


def _seed(n, org, **kwargs):
    for _ in range(n):
        GivingRecordFactory(
            recipient_organization=org,
            donor_organization=factories.OrganizationFactory(),
            entered_for=factories.OrganizationFactory(),
            **kwargs,
        )


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the menu's flags are worked out once, then kept (core.navigation)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_my_records_query_count_does_not_grow(client):
    org = factories.OrganizationFactory()
    login(client, member_of(org, Membership.Role.EDITOR))
    url = reverse("giving:my_records")
    _seed(3, org)
    few = _count_queries(client, url)
    _seed(12, org)
    many = _count_queries(client, url)
    assert many == few


def test_moderation_query_count_does_not_grow(staff_client):
    org = factories.OrganizationFactory()
    url = reverse("giving:moderation")
    _seed(3, org)
    GivingRecordFactory(possible_duplicate_of=GivingRecord.objects.first())
    few = _count_queries(staff_client, url)
    _seed(15, org)
    GivingRecordFactory(possible_duplicate_of=GivingRecord.objects.first())
    many = _count_queries(staff_client, url)
    assert many == few


def test_reporter_email_never_public(client, django_capture_on_commit_callbacks):
    from giving.api.serializers import GivingRecordSerializer
    from giving.services import records as services
    from tests.factories import StaffFactory

    client.post(reverse("giving:report_gift"), public_report_data(reporter_email="secret@example.org"))
    record = GivingRecord.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_verify(actor=StaffFactory(), record=record)
    detail = client.get(reverse("giving:record_detail", kwargs={"pk": record.pk}))
    assert detail.status_code == 200 and "secret@example.org" not in detail.content.decode()
    assert "reporter_email" not in GivingRecordSerializer.Meta.fields
    api = client.get(reverse("giving-record-list"))
    assert api.status_code == 200 and "secret@example.org" not in api.content.decode()
