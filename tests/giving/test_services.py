"""The services of giving records: the moderation state machine, bulk moderation,
confirmation and confidence, duplicates, history and notification emails."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import EmailOutbox
from giving.choices import Confidence, DonorType, Source, Status
from giving.models import GivingRecord
from giving.services import records as services
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.giving.factories import GivingRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return factories.StaffFactory()


def _data(**overrides):
    base = {
        "date": timezone.localdate() - datetime.timedelta(days=5),
        "amount": Decimal("1000.00"),
        "support_kind": "money",
        "donor_type": DonorType.COMPANY,
        "donor_name": "Raiffeisen",
        "recipient_type": "cso",
        "recipient_name": "Lidhja e Grave",
        "cause": "social_inclusion",
        "beneficiary_group": "women",
        "geography": "municipality",
        "municipality": factories.municipality("prishtine"),
    }
    base.update(overrides)
    return base


# --- the moderation state machine ---------------------------------------------------------


def test_verify_reported(staff):
    record = GivingRecordFactory()
    services.record_verify(actor=staff, record=record)
    record.refresh_from_db()
    assert record.status == Status.VERIFIED
    assert record.reviewed_by == staff and record.reviewed_at is not None


def test_reject_reported_needs_reason(staff):
    record = GivingRecordFactory()
    with pytest.raises(ValidationError) as exc:
        services.record_reject(actor=staff, record=record, reason="  ")
    assert "reason" in exc.value.message_dict
    record.refresh_from_db()
    assert record.status == Status.REPORTED
    services.record_reject(actor=staff, record=record, reason="Not a gift: a sponsorship contract.")
    record.refresh_from_db()
    assert record.status == Status.REJECTED
    assert record.rejection_reason == "Not a gift: a sponsorship contract."


def test_verified_to_rejected_by_staff_with_reason(staff):
    record = GivingRecordFactory(verified=True)
    with pytest.raises(ValidationError):
        services.record_reject(actor=staff, record=record, reason="")
    services.record_reject(actor=staff, record=record, reason="The media report was retracted.")
    record.refresh_from_db()
    assert record.status == Status.REJECTED


def test_reopen_rejected(staff):
    record = GivingRecordFactory(rejected=True)
    services.record_reopen(actor=staff, record=record)
    record.refresh_from_db()
    assert record.status == Status.REPORTED
    assert record.rejection_reason == "" and record.reviewed_by is None


@pytest.mark.parametrize(
    "start,move",
    [
        ("verified", "verify"),
        ("verified", "reopen"),
        ("rejected", "verify"),
        ("rejected", "reject"),
        ("reported", "reopen"),
    ],
)
def test_refused_moves(staff, start, move):
    record = GivingRecordFactory(status=start, rejection_reason="x" if start == "rejected" else "")
    with pytest.raises(ValidationError) as exc:
        if move == "verify":
            services.record_verify(actor=staff, record=record)
        elif move == "reject":
            services.record_reject(actor=staff, record=record, reason="again")
        else:
            services.record_reopen(actor=staff, record=record)
    assert exc.value.code == "invalid_transition"
    record.refresh_from_db()
    assert record.status == start


@pytest.mark.parametrize("who", ["citizen", "editor", "entered_by"])
def test_non_staff_cannot_moderate(who):
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=org, entered_for=org)
    actor = {
        "citizen": factories.UserFactory(),
        "editor": member_of(org, Membership.Role.EDITOR),
        "entered_by": record.entered_by,
    }[who]
    with pytest.raises(PermissionDenied):
        services.record_verify(actor=actor, record=record)
    with pytest.raises(PermissionDenied):
        services.record_reject(actor=actor, record=record, reason="no")
    record.refresh_from_db()
    assert record.status == Status.REPORTED


def test_available_transitions(staff):
    citizen = factories.UserFactory()
    assert services.available_transitions(staff, GivingRecordFactory()) == ["verify", "reject"]
    assert services.available_transitions(staff, GivingRecordFactory(verified=True)) == ["reject"]
    assert services.available_transitions(staff, GivingRecordFactory(rejected=True)) == ["reopen"]
    assert services.available_transitions(citizen, GivingRecordFactory()) == []


# --- bulk ---------------------------------------------------------------------------------


def test_bulk_verify_skips_other_states(staff):
    reported = GivingRecordFactory.create_batch(3)
    verified = GivingRecordFactory(verified=True)
    rejected = GivingRecordFactory(rejected=True)
    ids = [r.pk for r in reported] + [verified.pk, rejected.pk, 999999]
    done, skipped = services.records_bulk_moderate(actor=staff, ids=ids, action="verify")
    assert sorted(done) == sorted(r.pk for r in reported)
    assert sorted(skipped) == sorted([verified.pk, rejected.pk, 999999])
    assert GivingRecord.objects.filter(status=Status.VERIFIED).count() == 4
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED


def test_bulk_reject_needs_reason_and_changes_nothing_without(staff):
    records = GivingRecordFactory.create_batch(2)
    with pytest.raises(ValidationError):
        services.records_bulk_moderate(actor=staff, ids=[r.pk for r in records], action="reject")
    assert not GivingRecord.objects.exclude(status=Status.REPORTED).exists()
    done, skipped = services.records_bulk_moderate(
        actor=staff, ids=[r.pk for r in records], action="reject", reason="Duplicates of #1"
    )
    assert len(done) == 2 and skipped == []
    assert set(GivingRecord.objects.values_list("rejection_reason", flat=True)) == {"Duplicates of #1"}


def test_bulk_refuses_non_staff_and_bad_input(staff):
    record = GivingRecordFactory()
    with pytest.raises(PermissionDenied):
        services.records_bulk_moderate(actor=factories.UserFactory(), ids=[record.pk], action="verify")
    for kwargs in (
        {"ids": ["x"], "action": "verify"},
        {"ids": [], "action": "verify"},
        {"ids": [1], "action": "drop"},
    ):
        with pytest.raises(ValidationError):
            services.records_bulk_moderate(actor=staff, **kwargs)
    record.refresh_from_db()
    assert record.status == Status.REPORTED


def test_bulk_is_one_transaction(staff, monkeypatch):
    """A failure in the middle leaves every record as it was."""
    records = GivingRecordFactory.create_batch(3)
    original = services._notify_reviewed
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("mail template broke")
        return original(**kwargs)

    monkeypatch.setattr(services, "_notify_reviewed", flaky)
    with pytest.raises(RuntimeError):
        services.records_bulk_moderate(actor=staff, ids=[r.pk for r in records], action="verify")
    assert not GivingRecord.objects.filter(status=Status.VERIFIED).exists()


# --- confirmation and confidence ----------------------------------------------------------


def test_confirm_by_both_sides_raises_confidence():
    recipient, donor = factories.OrganizationFactory(), factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=recipient, donor_organization=donor)
    assert record.confidence == Confidence.SELF_REPORTED
    recipient_editor = member_of(recipient, Membership.Role.EDITOR)
    donor_owner = member_of(donor, Membership.Role.OWNER)
    services.record_confirm(actor=recipient_editor, record=record, side="recipient")
    record.refresh_from_db()
    assert record.confirmed_by_recipient_at and not record.confirmed_by_donor_at
    assert record.confidence == Confidence.SELF_REPORTED
    assert record.history.first().history_user == recipient_editor
    services.record_confirm(actor=donor_owner, record=record, side="donor")
    record.refresh_from_db()
    assert record.confidence == Confidence.CONFIRMED_BOTH
    assert record.history.first().history_user == donor_owner


def test_confirm_media_record_leaves_media_only():
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(media=True, recipient_organization=org)
    assert record.confidence == Confidence.MEDIA_ONLY
    services.record_confirm(actor=member_of(org, Membership.Role.EDITOR), record=record, side="recipient")
    record.refresh_from_db()
    assert record.confidence == Confidence.SELF_REPORTED


def test_confirm_twice_is_a_no_op():
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=org)
    editor = member_of(org, Membership.Role.EDITOR)
    services.record_confirm(actor=editor, record=record, side="recipient")
    record.refresh_from_db()
    first = record.confirmed_by_recipient_at
    count = record.history.count()
    services.record_confirm(actor=editor, record=record, side="recipient")
    record.refresh_from_db()
    assert record.confirmed_by_recipient_at == first
    assert record.history.count() == count


@pytest.mark.parametrize("who", ["viewer", "other_editor", "staff", "wrong_side"])
def test_confirm_refused(who):
    org, other = factories.OrganizationFactory(), factories.OrganizationFactory()
    record = GivingRecordFactory(recipient_organization=org)
    actor = {
        "viewer": member_of(org, Membership.Role.VIEWER),
        "other_editor": member_of(other, Membership.Role.EDITOR),
        "staff": factories.StaffFactory(),
        "wrong_side": member_of(org, Membership.Role.EDITOR),
    }[who]
    side = "donor" if who == "wrong_side" else "recipient"
    with pytest.raises(PermissionDenied):
        services.record_confirm(actor=actor, record=record, side=side)
    record.refresh_from_db()
    assert record.confirmed_by_recipient_at is None and record.confirmed_by_donor_at is None


def test_confirm_rejected_record_refused():
    org = factories.OrganizationFactory()
    record = GivingRecordFactory(rejected=True, recipient_organization=org)
    with pytest.raises(ValidationError):
        services.record_confirm(actor=member_of(org, Membership.Role.EDITOR), record=record, side="recipient")


# --- entry, update, duplicates ------------------------------------------------------------


def test_exact_duplicate_refused_near_duplicate_flagged(staff):
    first = services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    with pytest.raises(services.DuplicateRecord) as exc:
        services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    assert exc.value.existing == first
    near = services.record_create(
        actor=staff,
        data=_data(amount=Decimal("1010.00"), date=first.date - datetime.timedelta(days=2), donor_name="R."),
        source=Source.STAFF,
    )
    assert near.possible_duplicate_of == first
    assert GivingRecord.objects.count() == 2


def test_rejected_record_is_not_a_duplicate(staff):
    first = services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    services.record_reject(actor=staff, record=first, reason="typo")
    again = services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    assert again.pk != first.pk and again.possible_duplicate_of is None


def test_record_create_history_names_actor(staff):
    record = services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    assert record.history.get().history_user == staff


def test_record_update_by_author_while_reported():
    record = GivingRecordFactory()
    author = record.entered_by
    services.record_update(actor=author, record=record, data={"amount": Decimal("999.00")})
    record.refresh_from_db()
    assert record.amount == Decimal("999.00")
    assert record.history.first().history_user == author
    services.record_verify(actor=factories.StaffFactory(), record=record)
    with pytest.raises(PermissionDenied):
        services.record_update(actor=author, record=record, data={"amount": Decimal("5.00")})
    record.refresh_from_db()
    assert record.amount == Decimal("999.00")


def test_record_update_refuses_duplicate_and_clears_confirmations(staff):
    org = factories.OrganizationFactory()
    a = services.record_create(actor=staff, data=_data(), source=Source.STAFF)
    b = services.record_create(
        actor=staff, data=_data(amount=Decimal("5000"), recipient_organization=org), source=Source.STAFF
    )
    services.record_confirm(actor=member_of(org, Membership.Role.EDITOR), record=b, side="recipient")
    with pytest.raises(services.DuplicateRecord):
        services.record_update(
            actor=staff, record=b, data={"amount": Decimal("1000.00"), "recipient_organization": None}
        )
    b.refresh_from_db()
    assert b.amount == Decimal("5000") and b.confirmed_by_recipient_at
    services.record_update(actor=staff, record=b, data={"amount": Decimal("4000")})
    b.refresh_from_db()
    assert b.confirmed_by_recipient_at is None
    assert a.pk != b.pk


def test_record_update_rejects_future_date():
    record = GivingRecordFactory()
    with pytest.raises(ValidationError):
        services.record_update(
            actor=record.entered_by,
            record=record,
            data={"date": timezone.localdate() + datetime.timedelta(days=1)},
        )


def test_public_report_stores_the_reporter_email():
    record = services.record_report_public(data=_data(), reporter_email="witness@example.org")
    assert record.source == Source.PUBLIC and record.status == Status.REPORTED
    assert record.entered_by is None
    record.refresh_from_db()
    assert record.reporter_email == "witness@example.org"
    assert not record.history.get().history_change_reason  # the old workaround is gone


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_reporter_is_emailed_when_staff_moderate(action, django_capture_on_commit_callbacks):
    from django.utils import translation

    from core.models import EmailOutbox

    staff = factories.StaffFactory()
    record = services.record_report_public(data=_data(), reporter_email="witness@example.org")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        if action == "verify":
            services.record_verify(actor=staff, record=record)
        else:
            services.record_reject(actor=staff, record=record, reason="No source found")
    mail = EmailOutbox.objects.get(to="witness@example.org")
    if action == "verify":
        assert "verified" in mail.subject
    else:
        assert "not accepted" in mail.subject and "No source found" in mail.body_text


def test_no_reporter_email_no_email(django_capture_on_commit_callbacks):
    from core.models import EmailOutbox

    record = services.record_report_public(data=_data())
    services.record_verify(actor=factories.StaffFactory(), record=record)
    assert not EmailOutbox.objects.exists()


# --- history and notifications ------------------------------------------------------------


def test_history_records_the_moderator(staff):
    record = GivingRecordFactory()
    services.record_verify(actor=staff, record=record)
    latest = record.history.first()
    assert latest.history_user == staff and latest.status == Status.VERIFIED
    assert latest.history_change_reason == "verified"


def test_emails_after_commit_in_the_authors_language(staff, django_capture_on_commit_callbacks):
    author = factories.UserFactory(preferred_language="en")
    record = GivingRecordFactory(entered_by=author)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_verify(actor=staff, record=record)
    # The send task waits for the commit (so do the refresh of the dashboard's aggregates and
    # the renewal of the pages' topics, core.fragments.touch).
    assert len([c for c in callbacks if not c.__qualname__.startswith(("refresh_on_commit.", "touch."))]) == 1
    assert len(mail.outbox) == 0
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    assert f"#{record.pk}" in message.subject and "verified" in message.subject


def test_rejection_email_holds_reason(staff, django_capture_on_commit_callbacks):
    author = factories.UserFactory(preferred_language="en")
    record = GivingRecordFactory(entered_by=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_reject(actor=staff, record=record, reason="No source found.")
    assert len(mail.outbox) == 1
    assert "No source found." in mail.outbox[0].body


def test_email_in_authors_preferred_language(staff, django_capture_on_commit_callbacks, monkeypatch):
    from django.utils import translation

    from core import notifications

    languages = []
    original = notifications._render_text

    def spy(name, context):
        languages.append((name, translation.get_language()))
        return original(name, context)

    monkeypatch.setattr(notifications, "_render_text", spy)
    author = factories.UserFactory(preferred_language="sr-latn")
    record = GivingRecordFactory(entered_by=author)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_verify(actor=staff, record=record)
    assert languages == [
        ("giving/email/record_verified_subject.txt", "sr-latn"),
        ("giving/email/record_verified.txt", "sr-latn"),
    ]
    assert EmailOutbox.objects.get().to == author.email


def test_no_email_for_own_or_anonymous_records(staff, django_capture_on_commit_callbacks):
    own = GivingRecordFactory(entered_by=staff)
    public = services.record_report_public(data=_data())
    with django_capture_on_commit_callbacks(execute=True):
        services.record_verify(actor=staff, record=own)
        services.record_verify(actor=staff, record=public)
    assert len(mail.outbox) == 0
    assert not EmailOutbox.objects.exists()
