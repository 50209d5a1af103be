"""Transparency reports move through transparency.workflow.REPORT: every submit, return,
publish and supersede writes one core.StatusChange (who, from, to, note); a refused move
writes none and changes nothing; the buttons and the badge come from the declaration."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import StatusChange
from organizations.models import Membership
from tests import factories
from tests.factories import member_of
from tests.transparency.factories import private_files  # noqa: F401  (fixture)
from tests.transparency.test_services import complete_report
from transparency.choices import ReportStatus
from transparency.services import reports as services
from transparency.workflow import REPORT, TransitionNotAllowed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
S = ReportStatus


@pytest.fixture
def org():
    return factories.OrganizationFactory()


@pytest.fixture
def editor(org):
    return member_of(org, Membership.Role.EDITOR)


@pytest.fixture
def staff():
    return factories.StaffFactory()


def moves(report) -> list[tuple]:
    return [(c.from_status, c.to_status, c.actor, c.note) for c in REPORT.history(report)]


def test_submit_return_resubmit_publish_are_recorded(org, editor, staff):
    report = complete_report(org)
    services.report_submit(actor=editor, report=report)
    services.report_return(actor=staff, report=report, comments="Add the statute.")
    services.report_submit(actor=editor, report=report)
    services.report_publish(actor=staff, report=report)
    assert moves(report) == [
        (S.DRAFT, S.SUBMITTED, editor, ""),
        (S.SUBMITTED, S.RETURNED, staff, "Add the statute."),
        (S.RETURNED, S.SUBMITTED, editor, ""),
        (S.SUBMITTED, S.PUBLISHED, staff, ""),
    ]


def test_publishing_a_correction_records_the_supersede(org, editor, staff):
    old = complete_report(org, published=True, board=0)
    new = services.report_correct(actor=editor, report=old)
    services.report_submit(actor=editor, report=new)
    services.report_publish(actor=staff, report=new)
    assert moves(old) == [(S.PUBLISHED, S.SUPERSEDED, staff, "")]
    assert moves(new)[-1] == (S.SUBMITTED, S.PUBLISHED, staff, "")


@pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED])
def test_refused_moves_write_nothing(org, editor, staff, status):
    report = complete_report(org, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.report_publish(actor=staff, report=report)
    with pytest.raises(PermissionDenied):
        services.report_publish(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == status
    assert not StatusChange.objects.exists()


def test_a_submit_refused_for_missing_parts_writes_nothing(org, editor):
    report = complete_report(org)
    report.board_members.all().delete()
    with pytest.raises(ValidationError):
        services.report_submit(actor=editor, report=report)
    report.refresh_from_db()
    assert report.status == S.DRAFT and not StatusChange.objects.exists()


def test_available_moves_never_offer_supersede(org, editor, staff):
    with translation.override("en"):
        assert REPORT.available_moves(editor, complete_report(org)) == [(S.SUBMITTED, "Submit for checking")]
        submitted = complete_report(org, status=S.SUBMITTED, year=2020)
        assert REPORT.available_moves(staff, submitted) == [
            (S.RETURNED, "Return with comments"),
            (S.PUBLISHED, "Accept and publish"),
        ]
        assert REPORT.available_moves(staff, complete_report(org, published=True, year=2019)) == []
