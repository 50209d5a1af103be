"""Reminders: a request unassigned for 2 working days (to staff), an overdue answer (to the
expert); each once, again after a new assignment sets a new due day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistance.models import HelpRequest
from assistance.services import requests as services
from assistance.services.reminders import reminders_send
from assistance.tasks import send_reminders
from core.models import EmailOutbox
from tests import factories
from tests.assistance.factories import ExpertFactory, assigned, private_files, submitted  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]
BELGRADE = ZoneInfo("Europe/Belgrade")


def test_unassigned_after_two_working_days_goes_to_staff_once():
    staff = factories.StaffFactory()
    request = submitted()
    HelpRequest.objects.filter(pk=request.pk).update(submitted_at=datetime(2026, 12, 11, 9, tzinfo=BELGRADE))
    EmailOutbox.objects.all().delete()
    assert reminders_send(today=date(2026, 12, 14)) == 0  # Friday + 1 working day
    assert reminders_send(today=date(2026, 12, 15)) == 1  # Friday + 2 working days
    assert EmailOutbox.objects.get().to == staff.email
    assert reminders_send(today=date(2026, 12, 16)) == 0


def test_overdue_answer_goes_to_the_expert_once_and_again_after_a_new_assignment():
    request = assigned()
    factories.StaffFactory()
    HelpRequest.objects.filter(pk=request.pk).update(due_on=date.today() - timedelta(days=1))
    EmailOutbox.objects.all().delete()
    assert send_reminders() == 1
    assert EmailOutbox.objects.get().to == request.expert.user.email
    assert send_reminders() == 0
    other = ExpertFactory()
    request = services.request_assign(actor=factories.StaffFactory(), request=request, expert=other)
    HelpRequest.objects.filter(pk=request.pk).update(due_on=date.today() - timedelta(days=1))
    assert send_reminders() == 1
