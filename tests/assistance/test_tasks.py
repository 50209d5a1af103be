"""Reminders: a request unassigned for 2 working days (to staff), an overdue answer (to the
expert); each once, again after a new assignment sets a new due day."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from assistance.models import HelpRequest
from assistance.services import requests as services
from assistance.services.reminders import HELP_DESK_GROUP, reminders_send
from assistance.tasks import send_reminders
from core.models import EmailOutbox
from tests import factories
from tests.accounts.helpers import activate_totp
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


# --- The "Help desk" group: who gets the reminders of unassigned requests ----------------------


def _due_unassigned_request():
    request = submitted()
    HelpRequest.objects.filter(pk=request.pk).update(submitted_at=datetime(2026, 12, 11, 9, tzinfo=BELGRADE))
    EmailOutbox.objects.all().delete()
    return request


def test_the_help_desk_group_exists_after_the_migrations():
    assert Group.objects.filter(name=HELP_DESK_GROUP).exists()


def test_unassigned_reminders_go_to_the_help_desk_staff_with_a_second_factor(caplog):
    desk = Group.objects.get(name=HELP_DESK_GROUP)
    team = factories.StaffFactory()
    activate_totp(team)
    without_totp = factories.StaffFactory()  # in the group, no second factor
    inactive = factories.StaffFactory(is_active=False)
    not_staff = factories.UserFactory()
    for user in (inactive, not_staff):
        activate_totp(user)
    for user in (team, without_totp, inactive, not_staff):
        user.groups.add(desk)
    outside = factories.StaffFactory()  # staff with a second factor, not in the group
    activate_totp(outside)
    _due_unassigned_request()
    with caplog.at_level("WARNING", logger="assistance.services.reminders"):
        assert reminders_send(today=date(2026, 12, 15)) == 1
    assert list(EmailOutbox.objects.values_list("to", flat=True)) == [team.email]
    assert "Help desk" not in caplog.text
    assert reminders_send(today=date(2026, 12, 16)) == 0


def test_with_no_one_in_the_group_every_active_staff_member_is_reminded_and_the_log_says_so(caplog):
    desk = Group.objects.get(name=HELP_DESK_GROUP)
    without_totp = factories.StaffFactory()
    without_totp.groups.add(desk)  # a member who may not use staff powers does not count
    other = factories.StaffFactory()
    factories.StaffFactory(is_active=False)
    factories.UserFactory()
    _due_unassigned_request()
    with caplog.at_level("WARNING", logger="assistance.services.reminders"):
        assert reminders_send(today=date(2026, 12, 15)) == 2
    assert set(EmailOutbox.objects.values_list("to", flat=True)) == {without_totp.email, other.email}
    assert 'the "Help desk" group has no active staff member with a second factor' in caplog.text


def test_nothing_due_reads_no_staff_and_logs_nothing(caplog):
    factories.StaffFactory()
    submitted()  # submitted today: not due for 2 working days
    with caplog.at_level("WARNING", logger="assistance.services.reminders"):
        assert reminders_send() == 0
    assert caplog.text == ""


def test_the_sweeps_read_only_the_reminders_of_the_requests_due_now():
    """The sweeps read every reminder of their kind ever sent, a table that only grows: now
    only those about the requests due now (and still each goes once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assistance.services.reminders import ANSWER_OVERDUE, UNASSIGNED
    from core.models import SentReminder
    from tests.helpers import sent_reminder_reads

    staff = factories.StaffFactory()
    waiting = _due_unassigned_request()
    late = assigned(staff=staff)
    HelpRequest.objects.filter(pk=late.pk).update(due_on=date(2026, 12, 14))
    long_ago = 10**9  # a request reminded of years ago
    SentReminder.objects.create(kind=UNASSIGNED, object_id=long_ago, user=staff)
    SentReminder.objects.create(kind=ANSWER_OVERDUE, object_id=long_ago, user=late.expert.user)
    EmailOutbox.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert reminders_send(today=date(2026, 12, 15)) == 2
    assert sent_reminder_reads(captured, UNASSIGNED) == [{waiting.pk}]
    assert sent_reminder_reads(captured, ANSWER_OVERDUE) == [{late.pk}]
    assert reminders_send(today=date(2026, 12, 15)) == 0


def test_the_unassigned_sweep_reads_only_requests_old_enough_to_be_due():
    """Two working days are at least two calendar days: a request submitted since the day
    before yesterday is not read at all (the sweep's read does not grow with what just came
    in), and one submitted late on the day before yesterday still is, and is reminded of."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    factories.StaffFactory()
    monday = date(2026, 12, 14)
    just_in_time = submitted()
    HelpRequest.objects.filter(pk=just_in_time.pk).update(
        submitted_at=datetime(2026, 12, 10, 23, 59, tzinfo=BELGRADE)  # Thursday + 2 working days
    )
    too_new = submitted()
    HelpRequest.objects.filter(pk=too_new.pk).update(
        submitted_at=datetime(2026, 12, 13, 0, 0, tzinfo=BELGRADE)
    )
    EmailOutbox.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        assert reminders_send(today=monday) == 1
    assert EmailOutbox.objects.get().subject  # the one reminder, about the Thursday request
    swept = [q["sql"] for q in captured if '"assistance_helprequest"."status" = \'new\'' in q["sql"]]
    assert swept and all('"assistance_helprequest"."submitted_at" <' in sql for sql in swept)
    assert reminders_send(today=date(2026, 12, 16)) == 1  # Sunday's request: Monday + Tuesday
