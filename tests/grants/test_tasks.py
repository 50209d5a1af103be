"""The hourly reminders (grants.tasks.send_reminders): each sweep reminds the right people
once, a second run sends nothing more, boundaries of the windows, and the language."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from core import reminders
from core.models import EmailOutbox, SentReminder
from grants import tasks
from grants.choices import (
    ApplicantType,
    ApplicationStatus,
    GrantReportStatus,
    GrantStatus,
    ReminderKind,
    Stage,
)
from grants.models import GrantReport
from grants.services import assessment
from organizations.models import Membership
from tests.factories import StaffFactory, UserFactory, member_of
from tests.grants.factories import (
    ApplicationFactory,
    CallFactory,
    active_grant,
    submitted_application,
    verified_cso,
)
from tests.helpers import t

pytestmark = pytest.mark.django_db
R = GrantReportStatus


def outbox_to(kind_word: str = "") -> list[str]:
    return sorted(m.to for m in EmailOutbox.objects.all() if kind_word in m.subject)


# --- (a) calls closing ------------------------------------------------------------------------


def test_call_closing_reminds_draft_holders_once(django_capture_on_commit_callbacks):
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=2))
    draft = ApplicationFactory(call=call)
    organization = verified_cso()
    owner = member_of(organization, Membership.Role.OWNER)
    editor = member_of(organization, Membership.Role.EDITOR)
    member_of(organization, Membership.Role.VIEWER)  # viewers are not reminded
    org_draft = ApplicationFactory(
        call=call, applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    ApplicationFactory(call=call, status=ApplicationStatus.WITHDRAWN, reference="CEA-2026-9001")
    ApplicationFactory(call=call, status=ApplicationStatus.SUBMITTED, reference="CEA-2026-9002")
    ApplicationFactory(call=call, status=ApplicationStatus.CHANGES_REQUESTED, reference="CEA-2026-9003")
    ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=4)))  # not yet
    ApplicationFactory(call=CallFactory(is_published=False, closes_at=now + timedelta(days=1)))

    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.send_reminders()
    assert counts == {"call_closing": 3, "report_due": 0, "report_overdue": 0, "review_due": 0}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([draft.applicant.email, owner.email, editor.email])
    assert SentReminder.objects.filter(kind=ReminderKind.CALL_CLOSING).count() == 3
    assert {r.object_id for r in SentReminder.objects.all()} == {draft.pk * 2, org_draft.pk * 2}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders()["call_closing"] == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "delta,expected",
    [
        (timedelta(days=3), 1),
        (timedelta(days=3, minutes=1), 0),
        (timedelta(minutes=1), 1),
        (-timedelta(minutes=1), 0),
    ],
)
def test_call_closing_boundaries(delta, expected):
    now = timezone.now()
    ApplicationFactory(call=CallFactory(closes_at=now + delta, opens_at=now - timedelta(days=30)))
    assert tasks.sweep_calls_closing(now) == expected


def test_invited_full_proposal_is_reminded_of_its_own_deadline():
    now = timezone.now()
    call = CallFactory(
        two_stage=True,
        closes_at=now - timedelta(days=5),
        full_proposal_closes_at=now + timedelta(days=1),
    )
    application = ApplicationFactory(
        call=call, stage=Stage.FULL, status=ApplicationStatus.INVITED, reference="CEA-2026-9100"
    )
    # The concept note was reminded before its own deadline.
    SentReminder.objects.create(
        kind=ReminderKind.CALL_CLOSING, object_id=application.pk * 2, user=application.applicant
    )
    assert tasks.sweep_calls_closing(now) == 1
    assert SentReminder.objects.filter(object_id=application.pk * 2 + 1).exists()
    assert tasks.sweep_calls_closing(now) == 0


# --- (b) and (c) grant reports ----------------------------------------------------------------


@pytest.fixture
def grant():
    return active_grant()


def _set(report, **fields):
    GrantReport.objects.filter(pk=report.pk).update(**fields)


def test_reports_due_within_seven_days(grant, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    first, second, third = grant.reports.order_by("pk")
    _set(first, due_on=today + timedelta(days=7))  # boundary: in
    _set(second, due_on=today + timedelta(days=8))  # boundary: out
    _set(third, due_on=today)  # due today: still "due", not overdue
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.send_reminders()
    assert counts["report_due"] == 2 and counts["report_overdue"] == 0
    applicant = grant.application.applicant
    assert [m.to for m in mail.outbox] == [[applicant.email], [applicant.email]]
    assert f"/grants/awards/{grant.pk}/reports/" in mail.outbox[0].body
    assert tasks.send_reminders()["report_due"] == 0


def test_reports_due_skip_sent_and_include_returned(grant):
    today = timezone.localdate()
    first, second, third = grant.reports.order_by("pk")
    _set(first, due_on=today + timedelta(days=3), status=R.SUBMITTED)
    _set(second, due_on=today + timedelta(days=3), status=R.RETURNED)
    _set(third, due_on=today + timedelta(days=3), status=R.ACCEPTED)
    assert tasks.sweep_reports_due(today) == 1
    assert SentReminder.objects.get().object_id == second.pk


def test_overdue_reports_reminded_once(grant):
    today = timezone.localdate()
    first, second, third = grant.reports.order_by("pk")
    _set(first, due_on=today - timedelta(days=1))
    _set(second, due_on=today - timedelta(days=10), status=R.SUBMITTED)
    _set(third, due_on=today - timedelta(days=10), status=R.ACCEPTED)
    counts = tasks.send_reminders()
    assert counts["report_overdue"] == 1 and counts["report_due"] == 0
    assert SentReminder.objects.get(kind=ReminderKind.REPORT_OVERDUE).object_id == first.pk
    assert tasks.send_reminders()["report_overdue"] == 0
    overdue = t("Grant report overdue: %(ref)s", ref="X").split("X")[0]
    assert EmailOutbox.objects.filter(subject__startswith=overdue).count() == 1


def test_reports_of_organisation_go_to_editors_not_viewers():
    organization = verified_cso()
    owner = member_of(organization, Membership.Role.OWNER)
    editor = member_of(organization, Membership.Role.EDITOR)
    member_of(organization, Membership.Role.VIEWER)
    grant = active_grant(
        applicant=owner, applicant_type=ApplicantType.ORGANIZATION, organization=organization
    )
    _set(grant.reports.get(period="interim"), due_on=timezone.localdate() - timedelta(days=2))
    assert tasks.sweep_reports_overdue(timezone.localdate()) == 2
    assert set(SentReminder.objects.values_list("user_id", flat=True)) == {owner.pk, editor.pk}


def test_no_report_reminders_for_closed_or_terminated_grants(grant):
    from grants.models import Grant

    _set(grant.reports.get(period="interim"), due_on=timezone.localdate() - timedelta(days=2))
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.TERMINATED)
    assert tasks.send_reminders()["report_overdue"] == 0


# --- (d) reviews ------------------------------------------------------------------------------


def test_reviews_not_done_three_days_before_the_deadline(django_capture_on_commit_callbacks):
    now = timezone.now()
    staff = StaffFactory()
    group, _ = Group.objects.get_or_create(name="Grant reviewers")
    reviewers = [UserFactory() for _ in range(4)]
    for reviewer in reviewers:
        reviewer.groups.add(group)
    call = CallFactory(with_form=True, review_deadline=now + timedelta(days=2, hours=23))
    application = submitted_application(call=call)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=reviewers)
    assigned, accepted, submitted, conflicted = reviewers
    assessment.conflict_declare(actor=accepted, application=application, has_conflict=False)
    assessment.conflict_declare(actor=submitted, application=application, has_conflict=False)
    assessment.review_save(
        actor=submitted,
        application=application,
        scores={c.pk: 3 for c in call.criteria.all()},
        recommendation="fund",
        submit=True,
    )
    assessment.conflict_declare(
        actor=conflicted, application=application, has_conflict=True, note="My cousin"
    )
    accepted.preferred_language = "sr-latn"
    accepted.save(update_fields=["preferred_language"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = tasks.send_reminders()
    assert counts["review_due"] == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {assigned.email, accepted.email}
    assert f"/sr-latn/grants/reviews/{application.pk}/" in by_address[accepted.email].body
    assert f"/{assigned.preferred_language or 'sq'}/grants/reviews/" in by_address[assigned.email].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_reminders()["review_due"] == 0
    assert mail.outbox == []


@pytest.mark.parametrize("delta,expected", [(timedelta(days=3), 1), (timedelta(days=3, minutes=1), 0)])
def test_review_deadline_boundary(delta, expected):
    now = timezone.now()
    staff = StaffFactory()
    call = CallFactory(with_form=True, review_deadline=now + delta)
    application = submitted_application(call=call)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[staff])
    assert tasks.sweep_reviews_due(now) == expected


def test_decided_applications_are_not_reminded():
    now = timezone.now()
    staff = StaffFactory()
    call = CallFactory(with_form=True, review_deadline=now + timedelta(days=1))
    application = submitted_application(call=call)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[staff])
    assessment.application_decide(actor=staff, application=application, decision="reject", note="No")
    assert tasks.sweep_reviews_due(now) == 0


# --- what the sweeps read ---------------------------------------------------------------------


def test_the_sweeps_read_only_the_reminders_of_what_is_due_now(grant):
    """The sweeps read every reminder of their kind ever sent, a table that only grows: now
    only those about the applications, reports and reviews due now (and each still once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import sent_reminder_reads

    now = timezone.now()
    today = timezone.localdate(now)
    staff = StaffFactory()
    draft = ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=1)))
    first, second, _third = grant.reports.order_by("pk")
    _set(first, due_on=today + timedelta(days=2))
    _set(second, due_on=today - timedelta(days=2))
    call = CallFactory(with_form=True, review_deadline=now + timedelta(days=1))
    application = submitted_application(call=call)
    assessment.application_screen(actor=staff, application=application, eligible=True)
    assessment.reviewers_assign(actor=staff, application=application, reviewers=[staff])
    assignment = application.assignments.get()
    long_ago = 10**9  # an object reminded of years ago
    for kind in ReminderKind:
        SentReminder.objects.create(kind=kind, object_id=long_ago, user=staff)
    with CaptureQueriesContext(connection) as captured:
        counts = tasks.run_sweeps(now)
    assert counts == {"call_closing": 1, "report_due": 1, "report_overdue": 1, "review_due": 1}
    assert sent_reminder_reads(captured, ReminderKind.CALL_CLOSING) == [{draft.pk * 2}]
    assert sent_reminder_reads(captured, ReminderKind.REPORT_DUE) == [{first.pk}]
    assert sent_reminder_reads(captured, ReminderKind.REPORT_OVERDUE) == [{second.pk}]
    assert sent_reminder_reads(captured, ReminderKind.REVIEW_DUE) == [{assignment.pk}]
    assert set(tasks.run_sweeps(now).values()) == {0}


def test_a_sweep_reads_what_was_sent_a_batch_of_objects_at_a_time(monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import sent_reminder_reads

    monkeypatch.setattr(tasks, "BATCH", 2)
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=1))
    drafts = [ApplicationFactory(call=call) for _ in range(5)]
    SentReminder.objects.create(
        kind=ReminderKind.CALL_CLOSING, object_id=drafts[2].pk * 2, user=drafts[2].applicant
    )
    with CaptureQueriesContext(connection) as captured:
        assert tasks.sweep_calls_closing(now) == 4
    keys = [d.pk * 2 for d in drafts]
    assert sent_reminder_reads(captured, ReminderKind.CALL_CLOSING) == [
        set(keys[:2]),
        set(keys[2:4]),
        {keys[4]},
    ]
    assert tasks.sweep_calls_closing(now) == 0


def test_a_sweep_reads_the_organisations_editors_once_a_batch_not_once_an_application(monkeypatch):
    """Organisations' applications due: each still goes to the applicant and the active owners
    and editors (not viewers), and their memberships are read once a batch of applications."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(tasks, "BATCH", 2)
    now = timezone.now()
    call = CallFactory(closes_at=now + timedelta(days=1))
    editors, applications = [], []
    for _ in range(5):
        organization = verified_cso()
        owner = member_of(organization, Membership.Role.OWNER)
        editors.append(member_of(organization, Membership.Role.EDITOR))
        member_of(organization, Membership.Role.VIEWER)
        applications.append(
            ApplicationFactory(
                call=call,
                applicant=owner,
                applicant_type=ApplicantType.ORGANIZATION,
                organization=organization,
            )
        )
    with CaptureQueriesContext(connection) as captured:
        assert tasks.sweep_calls_closing(now) == 10  # the owner (who applied) and the editor, each
    membership_reads = [
        q["sql"]
        for q in captured
        if q["sql"].startswith("SELECT") and '"organizations_membership"' in q["sql"]
    ]
    assert len(membership_reads) == 3  # batches of 2, 2 and 1
    reminded = set(SentReminder.objects.values_list("user_id", flat=True))
    assert reminded == {a.applicant_id for a in applications} | {e.pk for e in editors}


# --- idempotence, language, failures ----------------------------------------------------------


def test_the_unique_row_stops_a_concurrent_second_run(monkeypatch):
    """Two runs that both read "nothing sent yet" (the pre-filter is skipped here) still send
    each reminder once: the SentReminder row decides, in the email's transaction."""
    now = timezone.now()
    ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=1)))
    monkeypatch.setattr(tasks, "already_sent", lambda kind, **ids: set())
    assert tasks.sweep_calls_closing(now) == 1
    assert tasks.sweep_calls_closing(now) == 0
    assert EmailOutbox.objects.count() == 1


def test_integrity_error_counts_as_already_sent(monkeypatch):
    from django.db import IntegrityError

    user = UserFactory()

    def racing_get_or_create(**kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(SentReminder.objects, "get_or_create", racing_get_or_create)
    sent = tasks.remind_once(kind=ReminderKind.CALL_CLOSING, object_id=1, user=user, template="x", context={})
    assert sent is False and EmailOutbox.objects.count() == 0


def test_a_failing_email_is_not_recorded_and_is_retried(monkeypatch):
    now = timezone.now()
    ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=1)))

    def broken(**kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(reminders, "email_user_template", broken)
    assert tasks.sweep_calls_closing(now) == 0
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert tasks.sweep_calls_closing(now) == 1


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_reminder_in_the_users_language(language, django_capture_on_commit_callbacks):
    now = timezone.now()
    user = UserFactory(preferred_language=language)
    application = ApplicationFactory(call=CallFactory(closes_at=now + timedelta(days=1)), applicant=user)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_reminders()
    (message,) = mail.outbox
    assert f"/{language}/grants/applications/{application.pk}/edit/" in message.body


def test_task_is_registered_for_beat(settings):
    from celery import current_app

    assert settings.CELERY_BEAT_SCHEDULE["grants-reminders"]["task"] == "grants.tasks.send_reminders"
    assert "grants.tasks.send_reminders" in current_app.tasks
    result = tasks.send_reminders.delay()
    assert set(result.get()) == {"call_closing", "report_due", "report_overdue", "review_due"}
