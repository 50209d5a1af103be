"""The academy's pages: what they show, bad input of every kind (a clear message and a 4xx,
nothing saved lost), and query counts that do not grow with the rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from academy.models import Attendance, CohortApplication, MentorNote
from academy.services import selection
from tests.academy.factories import (
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


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def url(name, *args):
    return reverse(f"academy:{name}", args=args)


# --- eligibility and applying ---------------------------------------------------------------


def test_eligibility_check_on_the_cohort_page(client):
    cohort = make_cohort()
    young = {"date_of_birth": born_aged(20, cohort.starts_on).isoformat(), "municipality": municipality().pk}
    old = {**young, "date_of_birth": born_aged(40, cohort.starts_on).isoformat()}
    elsewhere = {**young, "municipality": municipality("peje").pk}
    assert (
        "You can apply to this cohort." in client.get(url("cohort_detail", cohort.pk), young).content.decode()
    )
    assert "16 to 29" in client.get(url("cohort_detail", cohort.pk), old).content.decode()
    assert "Pristina, Prizren" in client.get(url("cohort_detail", cohort.pk), elsewhere).content.decode()
    bad = client.get(url("cohort_detail", cohort.pk), {"date_of_birth": "31.02.2005", "municipality": "x"})
    assert bad.status_code == 400


@pytest.mark.parametrize("pk", ["0", "abc", "99999999999999999999", "-1"])
def test_bad_ids_are_404(client, pk):
    client.force_login(UserFactory())
    for name in ("cohort_detail", "application", "review", "sessions", "project"):
        assert client.get(url(name, pk)).status_code == 404, name


def test_draft_cohort_is_not_public(client):
    cohort = make_cohort(status="draft")
    assert client.get(url("cohort_detail", cohort.pk)).status_code == 404
    assert url("cohort_detail", cohort.pk) not in client.get(url("cohort_list")).content.decode()


def test_apply_when_not_eligible_says_why_and_saves_nothing(client):
    cohort = make_cohort()
    client.force_login(UserFactory())
    data = {"date_of_birth": born_aged(40, cohort.starts_on).isoformat(), "municipality": municipality().pk}
    response = client.post(url("apply", cohort.pk), data)
    assert response.status_code == 400 and "16 to 29" in response.content.decode()
    response = client.post(url("apply", cohort.pk), {"date_of_birth": "", "municipality": ""})
    assert response.status_code == 400
    assert not CohortApplication.objects.exists()


def test_apply_twice_opens_the_same_application(client):
    cohort = make_cohort()
    application = draft(cohort)
    client.force_login(application.applicant)
    data = {"date_of_birth": born_aged(20, cohort.starts_on).isoformat(), "municipality": municipality().pk}
    response = client.post(url("apply", cohort.pk), data)
    assert response.status_code == 302 and response["Location"].endswith(url("application", application.pk))
    assert CohortApplication.objects.count() == 1


def test_failed_submit_keeps_the_draft(client):
    application = draft(make_cohort())
    client.force_login(application.applicant)
    response = client.post(
        url("application", application.pk), {"motivation": "Dua të ndihmoj.", "submit": "1"}
    )
    assert response.status_code == 400 and "Fill in:" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft" and application.motivation == "Dua të ndihmoj."


def test_posting_to_a_submitted_application_changes_nothing(client):
    application = submitted(make_cohort())
    client.force_login(application.applicant)
    response = client.post(url("application", application.pk), {"motivation": "changed", "submit": "1"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.motivation != "changed"


# --- reviewing --------------------------------------------------------------------------------


def test_review_shows_the_conflict_form_first_then_the_rubric(client):
    staff = StaffFactory()
    application = submitted(make_cohort())
    person = reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    client.force_login(person)
    page = client.get(url("review", application.pk)).content.decode()
    assert "conflict of interest" in page and application.motivation not in page
    assert (
        client.post(url("review_coi", application.pk), {"has_conflict": "yes"}).status_code == 400
    )  # no note
    assert client.post(url("review_coi", application.pk), {"has_conflict": "no"}).status_code == 302
    page = client.get(url("review", application.pk)).content.decode()
    assert application.motivation in page and "Motivation" in page
    criteria = list(application.cohort.criteria.all())
    bad = client.post(url("review_save", application.pk), {f"score_{criteria[0].pk}": "9", "submit": "1"})
    assert bad.status_code == 400
    data = {f"score_{c.pk}": "4" for c in criteria} | {"submit": "1"}
    assert client.post(url("review_save", application.pk), data).status_code == 302
    application.refresh_from_db()
    assert application.average_score == 80
    again = client.post(url("review_save", application.pk), data)
    assert again.status_code == 400 and "already submitted" in again.content.decode()


def test_submitting_a_review_with_a_criterion_unscored_is_a_400_and_the_scores_are_kept(client):
    """The service refuses it with a list of errors, which has no code: the page read its
    code and answered 500. Now the form says what is missing."""
    from academy.models import ApplicationReview

    staff = StaffFactory()
    application = submitted(make_cohort())
    person = reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    selection.conflict_declare(actor=person, application=application, has_conflict=False)
    first, second, *_ = application.cohort.criteria.all()
    client.force_login(person)
    response = client.post(url("review_save", application.pk), {f"score_{first.pk}": "4", "submit": "1"})
    assert response.status_code == 400
    assert f"Score “{second.title}”." in response.content.decode()
    review = ApplicationReview.objects.get(application=application, reviewer=person)
    assert review.status == "accepted" and not review.scores.exists()
    saved = client.post(url("review_save", application.pk), {f"score_{first.pk}": "4", "save": "1"})
    assert saved.status_code == 302 and review.scores.get().score == 4


# --- staff selection --------------------------------------------------------------------------


def test_selection_over_the_places_is_refused(client):
    staff = StaffFactory()
    cohort = make_cohort(places=1)
    a, b = submitted(cohort), submitted(cohort)
    client.force_login(staff)
    response = client.post(
        url("staff_select", cohort.pk), {f"decision_{a.pk}": "select", f"decision_{b.pk}": "select"}
    )
    assert response.status_code == 400 and "Only 1 of 1 places are free" in response.content.decode()
    assert not CohortApplication.objects.filter(status="selected").exists()
    response = client.post(url("staff_select", cohort.pk), {f"decision_{a.pk}": "bogus"})
    assert response.status_code == 400


def test_waiting_list_order_follows_the_ranks_given(client):
    staff = StaffFactory()
    cohort = make_cohort(places=1)
    a, b, c = submitted(cohort), submitted(cohort), submitted(cohort)
    client.force_login(staff)
    response = client.post(
        url("staff_select", cohort.pk),
        {
            f"decision_{a.pk}": "select",
            f"decision_{b.pk}": "wait",
            f"rank_{b.pk}": "2",
            f"decision_{c.pk}": "wait",
            f"rank_{c.pk}": "1",
        },
    )
    assert response.status_code == 302
    b.refresh_from_db(), c.refresh_from_db()
    assert (c.waiting_rank, b.waiting_rank) == (1, 2)


def test_cohort_move_with_a_tampered_target(client):
    cohort = make_cohort()
    client.force_login(StaffFactory())
    assert client.post(url("staff_cohort_move", cohort.pk), {"target": "finished"}).status_code == 400
    assert client.post(url("staff_cohort_move", cohort.pk), {"target": "<script>"}).status_code == 400


# --- running ----------------------------------------------------------------------------------


def test_attendance_for_an_outsider_or_a_session_not_running(client):
    staff = StaffFactory()
    cohort = make_cohort()
    facilitator = UserFactory()
    cohort.facilitators.add(facilitator)
    member = participant(cohort, staff=staff)
    other = participant(make_cohort(), staff=staff)
    today, later = running_session(cohort), running_session(cohort, today=False)
    client.force_login(facilitator)
    response = client.post(url("attendance_mark", today.pk), {"participant": other.pk})
    assert response.status_code == 400 and "not a participant of this cohort" in response.content.decode()
    assert client.post(url("attendance_mark", today.pk), {"participant": "x"}).status_code == 400
    response = client.post(url("attendance_mark", later.pk), {"participant": member.pk})
    assert response.status_code == 400 and "day of the session" in response.content.decode()
    assert not Attendance.objects.exists()
    client.post(url("attendance_mark", today.pk), {"participant": member.pk})
    client.post(url("attendance_mark", today.pk), {"participant": member.pk})  # a double tap
    assert Attendance.objects.filter(present=True).count() == 1
    client.post(url("attendance_mark", today.pk), {"participant": member.pk, "present": "0"})
    assert Attendance.objects.filter(present=False).count() == 1


def test_mentor_note_in_the_future_is_refused(client):
    staff = StaffFactory()
    cohort = make_cohort()
    mentor = UserFactory()
    member = participant(cohort, staff=staff)
    CohortApplication.objects.filter(pk=member.pk).update(mentor=mentor)
    client.force_login(mentor)
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url("notes", member.pk), {"kind": "meeting", "body": "x", "met_on": future})
    assert response.status_code == 400 and "future" in response.content.decode()
    assert not MentorNote.objects.exists()


# --- query counts -----------------------------------------------------------------------------


def _count(client, django_assert_max_num_queries, path, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("rows", [2, 6])
def test_lists_run_a_flat_number_of_queries(client, django_assert_max_num_queries, rows):
    staff = StaffFactory()
    facilitator = UserFactory()
    cohorts = [make_cohort(places=rows + 1) for _ in range(rows)]
    cohort = cohorts[0]
    cohort.facilitators.add(facilitator)
    for _ in range(rows):
        scored(submitted(cohort), staff=staff)
    members = [participant(cohort, staff=staff) for _ in range(2)]
    for _ in range(rows):
        running_session(cohort)
    client.force_login(staff)
    _count(client, django_assert_max_num_queries, url("cohort_list"), 12)
    _count(client, django_assert_max_num_queries, url("staff_selection", cohort.pk), 16)
    _count(client, django_assert_max_num_queries, url("sessions", cohort.pk), 14)
    _count(client, django_assert_max_num_queries, url("attendance", cohort.sessions.first().pk), 14)
    _count(client, django_assert_max_num_queries, url("projects", cohort.pk), 14)
    client.force_login(members[0].applicant)
    _count(client, django_assert_max_num_queries, url("my_applications"), 12)
