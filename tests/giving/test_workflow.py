"""Giving moderation moves through giving.workflow.RECORD: every verify, reject and reopen
(one by one or in bulk) writes one core.StatusChange (who, from, to, the rejection's reason
as its note); a refused move writes none and changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import StatusChange
from giving.choices import Status
from giving.services import records as services
from giving.workflow import RECORD
from tests import factories
from tests.giving.factories import GivingRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return factories.StaffFactory()


def moves(record) -> list[tuple]:
    return [(c.from_status, c.to_status, c.actor, c.note) for c in RECORD.history(record)]


def test_verify_reject_reopen_are_recorded(staff):
    record = GivingRecordFactory()
    services.record_verify(actor=staff, record=record)
    services.record_reject(actor=staff, record=record, reason="A duplicate of #12.")
    services.record_reopen(actor=staff, record=record)
    assert moves(record) == [
        (Status.REPORTED, Status.VERIFIED, staff, ""),
        (Status.VERIFIED, Status.REJECTED, staff, "A duplicate of #12."),
        (Status.REJECTED, Status.REPORTED, staff, ""),
    ]


def test_bulk_moderation_records_each_move_once(staff):
    first, second = GivingRecordFactory(), GivingRecordFactory()
    skipped = GivingRecordFactory(verified=True)
    done, not_done = services.records_bulk_moderate(
        actor=staff, ids=[first.pk, second.pk, skipped.pk], action=services.REJECT, reason="Not a gift."
    )
    assert sorted(done) == sorted([first.pk, second.pk]) and not_done == [skipped.pk]
    assert moves(first) == moves(second) == [(Status.REPORTED, Status.REJECTED, staff, "Not a gift.")]
    assert moves(skipped) == []


def test_refused_moves_write_nothing(staff):
    rejected = GivingRecordFactory(rejected=True)
    with pytest.raises(ValidationError) as exc:
        services.record_verify(actor=staff, record=rejected)
    assert exc.value.code == "invalid_transition"
    with pytest.raises(PermissionDenied):
        services.record_verify(actor=factories.UserFactory(), record=GivingRecordFactory())
    with pytest.raises(ValidationError):
        services.record_reject(actor=staff, record=GivingRecordFactory(), reason="  ")
    rejected.refresh_from_db()
    assert rejected.status == Status.REJECTED
    assert not StatusChange.objects.exists()
