"""The academy's services: eligibility, one application per person, drafts and atomic
submission, reviews on the kernel's rubric (conflict first), selection with a ranked waiting
list, the offer (confirm / decline / lapse) and the waiting list moving up, attendance,
mentor notes and projects."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from academy.choices import ApplicationStatus
from academy.models import Attendance, CohortApplication, MentorNote
from academy.services import applications, running, selection
from academy.tasks import lapse_expired_offers
from core.models import EmailOutbox, StatusChange
from core.review import ReviewStatus
from tests.academy.factories import (
    ANSWERS,
    born_aged,
    draft,
    make_cohort,
    municipality,
    participant,
    reviewer,
    running_session,
    scored,
    submitted,
)
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    return StaffFactory()


# --- eligibility and applying ---------------------------------------------------------------


@pytest.mark.parametrize(("age", "ok"), [(15, False), (16, True), (29, True), (30, False)])
def test_age_on_the_start_date(age, ok):
    cohort = make_cohort()
    problems = applications.eligibility_problems(
        cohort=cohort, date_of_birth=born_aged(age, cohort.starts_on), municipality=municipality()
    )
    assert (problems == []) is ok
    if not ok:
        assert "16 to 29" in problems[0]


def test_age_counts_on_the_start_date_not_today():
    cohort = make_cohort(starts_in_days=60)
    # 29 today, 30 by the start date: too old.
    born = cohort.starts_on.replace(year=cohort.starts_on.year - 30) - timedelta(days=1)
    assert applications.eligibility_problems(cohort=cohort, date_of_birth=born, municipality=municipality())


def test_municipality_outside_the_list():
    cohort = make_cohort()
    problems = applications.eligibility_problems(
        cohort=cohort, date_of_birth=born_aged(20, cohort.starts_on), municipality=municipality("peje")
    )
    assert len(problems) == 1 and "Pristina" in problems[0]


def test_not_eligible_cannot_start():
    cohort = make_cohort()
    with pytest.raises(ValidationError) as refused:
        draft(cohort, age=35)
    assert "16 to 29" in refused.value.messages[0]
    assert not CohortApplication.objects.exists()


def test_closed_cohort_refuses():
    cohort = make_cohort()
    cohort.applications_close_at = timezone.now() - timedelta(minutes=1)
    cohort.applications_open_at = timezone.now() - timedelta(days=2)
    cohort.save()
    with pytest.raises(ValidationError):
        draft(cohort)


def test_one_application_per_person():
    cohort = make_cohort()
    application = draft(cohort)
    with pytest.raises(ValidationError) as twice:
        draft(cohort, application.applicant)
    assert twice.value.code == "duplicate"
    assert CohortApplication.objects.count() == 1


def test_draft_saves_and_submission_is_checked():
    cohort = make_cohort()
    application = draft(cohort)
    applications.application_save(
        actor=application.applicant, application=application, data={"motivation": "x"}
    )
    with pytest.raises(ValidationError) as incomplete:
        applications.application_submit(actor=application.applicant, application=application)
    assert "Fill in" in incomplete.value.messages[0]
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.motivation == "x"  # nothing lost


def test_submit_numbers_emails_and_records():
    cohort = make_cohort()
    first, second = submitted(cohort), submitted(cohort)
    assert first.reference.endswith("-0001") and second.reference.endswith("-0002")
    assert first.status == S.SUBMITTED and first.submitted_at
    assert StatusChange.objects.filter(object_id=first.pk, to_status=S.SUBMITTED).count() == 1
    assert EmailOutbox.objects.filter(to=first.applicant.email).exists()
    with pytest.raises(ValidationError) as again:  # a double submit is harmless
        applications.application_submit(actor=first.applicant, application=first)
    assert again.value.code == "submitted"


def test_someone_else_cannot_edit_or_submit():
    cohort = make_cohort()
    application = draft(cohort)
    applications.application_save(actor=application.applicant, application=application, data=ANSWERS)
    with pytest.raises(PermissionDenied):
        applications.application_save(actor=UserFactory(), application=application, data={"motivation": "y"})
    with pytest.raises(PermissionDenied):
        applications.application_submit(actor=UserFactory(), application=application)


# --- reviews ----------------------------------------------------------------------------------


def test_review_conflict_first_then_weighted_score(staff):
    cohort = make_cohort()
    application = submitted(cohort)
    person = reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    criteria = list(cohort.criteria.all())
    with pytest.raises(PermissionDenied):  # not yet cleared
        selection.review_save(actor=person, application=application, scores={criteria[0].pk: 5})
    selection.conflict_declare(actor=person, application=application, has_conflict=False)
    with pytest.raises(ValidationError):
        selection.review_save(actor=person, application=application, scores={criteria[0].pk: 9}, submit=True)
    selection.review_save(
        actor=person, application=application, scores={criteria[0].pk: 5, criteria[1].pk: 2}, submit=True
    )
    application.refresh_from_db()
    # (2×5/5 + 1×2/5) / 3 × 100 = 80
    assert application.average_score == Decimal("80.00") and application.reviews_done == 1


def test_conflict_declines(staff):
    application = submitted(make_cohort())
    person = reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    selection.conflict_declare(actor=person, application=application, has_conflict=True, note="My cousin")
    assert application.reviews.get().status == ReviewStatus.CONFLICTED
    with pytest.raises(PermissionDenied):
        selection.review_save(actor=person, application=application, scores={})


def test_applicant_and_outsiders_cannot_review(staff):
    application = submitted(make_cohort())
    with pytest.raises(ValidationError):
        selection.reviewers_assign(actor=staff, application=application, reviewers=[UserFactory()])
    with pytest.raises(PermissionDenied):
        selection.conflict_declare(actor=UserFactory(), application=application, has_conflict=False)


# --- selection, offers, waiting list ----------------------------------------------------------


def test_select_waiting_list_and_emails(staff):
    cohort = make_cohort(places=1)
    a, b, c, d = (submitted(cohort) for _ in range(4))
    mail_before = EmailOutbox.objects.count()
    counts = selection.selection_decide(
        actor=staff, cohort=cohort, selected=[a.pk], waiting=[c.pk, b.pk], rejected=[d.pk]
    )
    assert counts == {"selected": 1, "waiting": 2, "not_selected": 1}
    for application in (a, b, c, d):
        application.refresh_from_db()
    assert a.status == S.SELECTED and a.offer_expires_at > timezone.now() + timedelta(days=6)
    assert (c.status, c.waiting_rank, b.waiting_rank) == (S.WAITING_LIST, 1, 2)
    assert d.status == S.NOT_SELECTED
    assert EmailOutbox.objects.count() == mail_before + 4


def test_cannot_select_more_than_the_places(staff):
    cohort = make_cohort(places=1)
    a, b = submitted(cohort), submitted(cohort)
    with pytest.raises(ValidationError) as over:
        selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk, b.pk])
    assert over.value.code == "over_places"
    assert not CohortApplication.objects.filter(status=S.SELECTED).exists()


def test_only_staff_select():
    cohort = make_cohort()
    a = submitted(cohort)
    with pytest.raises(PermissionDenied):
        selection.selection_decide(actor=UserFactory(), cohort=cohort, selected=[a.pk])


def test_decline_moves_the_waiting_list_up(staff):
    cohort = make_cohort(places=1)
    a, b, c = (submitted(cohort) for _ in range(3))
    selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk], waiting=[c.pk, b.pk])
    a.refresh_from_db()
    selection.offer_respond(actor=a.applicant, application=a, accept=False)
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.status == S.DECLINED
    assert c.status == S.SELECTED and b.status == S.WAITING_LIST  # the first on the list moves up


def test_confirm_and_not_twice(staff):
    cohort = make_cohort()
    a = submitted(cohort)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk])
    a.refresh_from_db()
    with pytest.raises(PermissionDenied):
        selection.offer_respond(actor=UserFactory(), application=a, accept=True)
    selection.offer_respond(actor=a.applicant, application=a, accept=True)
    with pytest.raises(ValidationError):
        selection.offer_respond(actor=a.applicant, application=a, accept=False)
    a.refresh_from_db()
    assert a.status == S.CONFIRMED


def test_unconfirmed_place_lapses_to_the_next_and_task_is_idempotent(staff):
    cohort = make_cohort(places=1)
    a, b = submitted(cohort), submitted(cohort)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk], waiting=[b.pk])
    assert lapse_expired_offers() == 0  # nothing expired yet
    CohortApplication.objects.filter(pk=a.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    assert lapse_expired_offers() == 1
    assert lapse_expired_offers() == 0  # a second run does nothing
    a.refresh_from_db(), b.refresh_from_db()
    assert a.status == S.LAPSED and b.status == S.SELECTED
    with pytest.raises(ValidationError):
        selection.offer_respond(actor=a.applicant, application=a, accept=True)


def test_expired_offer_cannot_be_confirmed(staff):
    cohort = make_cohort()
    a = submitted(cohort)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk])
    CohortApplication.objects.filter(pk=a.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    a.refresh_from_db()
    with pytest.raises(ValidationError) as late:
        selection.offer_respond(actor=a.applicant, application=a, accept=True)
    assert late.value.code == "expired"


def test_decision_email_in_the_applicants_language(staff, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cohort = make_cohort()
    user = UserFactory(preferred_language="sr-latn")
    a = submitted(cohort, user)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[a.pk])
    message = EmailOutbox.objects.filter(to=user.email).order_by("-pk").first()
    assert "Akademija lidera zajednice" in message.subject


def test_ranking_by_average_score(staff):
    from academy import selectors

    cohort = make_cohort()
    low, high = submitted(cohort), submitted(cohort)
    scored(low, staff=staff, scores=(1, 1))
    scored(high, staff=staff, scores=(5, 4))
    assert [a.pk for a in selectors.ranking(cohort)] == [high.pk, low.pk]


# --- running a cohort -------------------------------------------------------------------------


def test_attendance_by_the_facilitator_for_participants_only(staff):
    facilitator = UserFactory()
    cohort = make_cohort()
    cohort.facilitators.add(facilitator)
    member = participant(cohort, staff=staff)
    outsider = submitted(cohort)  # applied, not a participant
    session = running_session(cohort)
    running.attendance_mark(actor=facilitator, session=session, participant_id=member.pk, present=True)
    running.attendance_mark(
        actor=facilitator, session=session, participant_id=member.pk, present=True
    )  # harmless
    assert Attendance.objects.filter(session=session, participant=member, present=True).count() == 1
    with pytest.raises(ValidationError) as not_member:
        running.attendance_mark(actor=facilitator, session=session, participant_id=outsider.pk, present=True)
    assert not_member.value.code == "not_participant"
    with pytest.raises(PermissionDenied):
        running.attendance_mark(
            actor=member.applicant, session=session, participant_id=member.pk, present=True
        )


def test_attendance_only_for_a_session_running_today(staff):
    facilitator = UserFactory()
    cohort = make_cohort()
    cohort.facilitators.add(facilitator)
    member = participant(cohort, staff=staff)
    later = running_session(cohort, today=False)
    with pytest.raises(ValidationError) as refused:
        running.attendance_mark(actor=facilitator, session=later, participant_id=member.pk, present=True)
    assert refused.value.code == "not_running"
    assert not Attendance.objects.exists()


def test_mentor_notes_are_private(staff):
    cohort = make_cohort()
    mentor, other_mentor = UserFactory(), UserFactory()
    cohort.mentors.add(mentor, other_mentor)
    member = participant(cohort, staff=staff)
    CohortApplication.objects.filter(pk=member.pk).update(mentor=mentor)
    member.refresh_from_db()
    running.mentor_note_add(actor=mentor, participant=member, body="First meeting: the plan.")
    with pytest.raises(PermissionDenied):
        running.mentor_note_add(actor=other_mentor, participant=member, body="x")
    assert MentorNote.objects.count() == 1
    assert mentor.has_perm("academy.view_mentor_notes", member)
    assert member.applicant.has_perm("academy.view_mentor_notes", member)
    assert not other_mentor.has_perm("academy.view_mentor_notes", member)


def test_project_by_participants_and_comments_by_the_mentor(staff):
    cohort = make_cohort()
    mentor = UserFactory()
    member = participant(cohort, staff=staff)
    CohortApplication.objects.filter(pk=member.pk).update(mentor=mentor)
    project = running.project_start(
        actor=member.applicant,
        cohort=cohort,
        data={"title": "Parku", "issue": "Mungon një park", "peers_mobilised": 12},
    )
    with pytest.raises(PermissionDenied):
        running.project_start(actor=UserFactory(), cohort=cohort, data={"title": "x", "issue": "y"})
    running.project_comment(actor=mentor, project=project, body="Mirë!")
    with pytest.raises(PermissionDenied):
        running.project_comment(actor=UserFactory(), project=project, body="spam")
    assert project.comments.count() == 1 and project.peers_mobilised == 12
