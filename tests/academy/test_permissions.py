"""Permission matrix of every academy page: anonymous, citizen, applicant, participant,
mentor, another mentor, facilitator, reviewer, staff, staff without the second factor."""

import pytest
from django.urls import reverse
from django.utils import translation

from academy.choices import CohortStatus
from academy.models import Attendance, CohortApplication, MentorNote, ProjectComment
from academy.services import running, selection
from tests.academy.factories import (
    born_aged,
    make_cohort,
    municipality,
    participant,
    reviewer,
    running_session,
    submitted,
)
from tests.factories import StaffFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "applicant",
    "participant",
    "mentor",
    "other_mentor",
    "facilitator",
    "reviewer",
    "staff",
    "staff_no_2fa",
]
LOGIN, MFA = "login", "mfa"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(monkeypatch):
    staff = StaffFactory()
    no_2fa = StaffFactory()
    monkeypatch.setattr(
        "accounts.middleware.staff_mfa_satisfied", lambda request: request.user.pk != no_2fa.pk
    )
    open_cohort = make_cohort(places=3)
    application = submitted(open_cohort)
    person = reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    selection.conflict_declare(actor=person, application=application, has_conflict=False)

    cohort = make_cohort(places=3)
    member = participant(cohort, staff=staff)
    mentor, other_mentor, facilitator = UserFactory(), UserFactory(), UserFactory()
    cohort.mentors.add(mentor, other_mentor)
    cohort.facilitators.add(facilitator)
    CohortApplication.objects.filter(pk=member.pk).update(mentor=mentor)
    type(cohort).objects.filter(pk=cohort.pk).update(status=CohortStatus.RUNNING)
    member.refresh_from_db()
    session = running_session(cohort)
    project = running.project_start(
        actor=member.applicant,
        cohort=cohort,
        data={"title": "Parku", "issue": "Mungon", "peers_mobilised": 3},
    )
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "applicant": application.applicant,
        "participant": member.applicant,
        "mentor": mentor,
        "other_mentor": other_mentor,
        "facilitator": facilitator,
        "reviewer": person,
        "staff": staff,
        "staff_no_2fa": no_2fa,
    }
    return {
        "people": people,
        "open": open_cohort,
        "application": application,
        "cohort": cohort,
        "member": member,
        "session": session,
        "project": project,
    }


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif expected == MFA:
        assert response.status_code == 302 and "/2fa/" in response["Location"], response.get("Location")
    else:
        assert response.status_code == expected, response.content[:400]


def _matrix(**expected):
    assert set(expected) == set(ROLES), set(ROLES) ^ set(expected)
    return pytest.mark.parametrize(("role", "expected"), list(expected.items()))


ALL_200 = dict.fromkeys(ROLES, 200)
SIGNED_200 = {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}


def _get(client, world, role, name, *args):
    return login(client, world["people"][role]).get(reverse(f"academy:{name}", args=args))


def _post(client, world, role, name, data, *args):
    return login(client, world["people"][role]).post(reverse(f"academy:{name}", args=args), data)


# --- public -----------------------------------------------------------------------------------


@_matrix(**ALL_200)
def test_cohort_list(client, world, role, expected):
    response = _get(client, world, role, "cohort_list")
    _check(response, expected)
    assert world["open"].title in response.content.decode()


@_matrix(**ALL_200)
def test_cohort_page(client, world, role, expected):
    _check(_get(client, world, role, "cohort_detail", world["open"].pk), expected)


@_matrix(**{**dict.fromkeys(ROLES, 302), "anonymous": LOGIN})
def test_apply(client, world, role, expected):
    cohort = world["open"]
    before = CohortApplication.objects.filter(cohort=cohort).count()
    response = _post(
        client,
        world,
        role,
        "apply",
        {"date_of_birth": born_aged(20, cohort.starts_on).isoformat(), "municipality": municipality().pk},
        cohort.pk,
    )
    _check(response, expected)
    created = CohortApplication.objects.filter(cohort=cohort).count() - before
    assert created == (1 if role not in ("anonymous", "applicant") else 0)


# --- the applicant ----------------------------------------------------------------------------


@_matrix(**SIGNED_200)
def test_my_applications(client, world, role, expected):
    _check(_get(client, world, role, "my_applications"), expected)


# Staff without the second factor are sent to give it wherever they are refused (core.permissions).
OWN_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "applicant": 200, "staff_no_2fa": MFA}


@_matrix(**OWN_ONLY)
def test_application_page(client, world, role, expected):
    _check(_get(client, world, role, "application", world["application"].pk), expected)


@_matrix(**{**OWN_ONLY, "applicant": 400})
def test_respond_without_an_offer(client, world, role, expected):
    _check(_post(client, world, role, "respond", {"answer": "confirm"}, world["application"].pk), expected)


# --- the reviewer -----------------------------------------------------------------------------


@_matrix(**SIGNED_200)
def test_my_reviews(client, world, role, expected):
    _check(_get(client, world, role, "my_reviews"), expected)


REVIEWER_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "reviewer": 200, "staff_no_2fa": MFA}


@_matrix(**REVIEWER_ONLY)
def test_review_page(client, world, role, expected):
    _check(_get(client, world, role, "review", world["application"].pk), expected)


@_matrix(**{**REVIEWER_ONLY, "reviewer": 400})
def test_review_conflict_once(client, world, role, expected):
    _check(
        _post(
            client, world, role, "review_coi", {"has_conflict": "yes", "note": "x"}, world["application"].pk
        ),
        expected,
    )


@_matrix(**{**REVIEWER_ONLY, "reviewer": 302})
def test_review_save(client, world, role, expected):
    _check(_post(client, world, role, "review_save", {"comment": "ok"}, world["application"].pk), expected)


# --- staff ------------------------------------------------------------------------------------

STAFF_ONLY = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "staff": 200, "staff_no_2fa": MFA}


@_matrix(**STAFF_ONLY)
def test_staff_cohorts(client, world, role, expected):
    _check(_get(client, world, role, "staff_cohorts"), expected)


@_matrix(**STAFF_ONLY)
def test_staff_selection(client, world, role, expected):
    _check(_get(client, world, role, "staff_selection", world["open"].pk), expected)


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_select(client, world, role, expected):
    application = world["application"]
    _check(
        _post(client, world, role, "staff_select", {f"decision_{application.pk}": "wait"}, world["open"].pk),
        expected,
    )
    application.refresh_from_db()
    assert (application.status == "waiting_list") is (expected == 302)


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_assign(client, world, role, expected):
    person = reviewer()
    _check(
        _post(client, world, role, "staff_assign", {"reviewers": [person.pk]}, world["application"].pk),
        expected,
    )
    assert world["application"].reviews.filter(reviewer=person).exists() is (expected == 302)


@_matrix(**{**STAFF_ONLY, "staff": 302})
def test_staff_cohort_move(client, world, role, expected):
    _check(
        _post(client, world, role, "staff_cohort_move", {"target": "selecting"}, world["open"].pk), expected
    )
    world["open"].refresh_from_db()
    assert (world["open"].status == "selecting") is (expected == 302)


# --- running a cohort -------------------------------------------------------------------------

COHORT_PEOPLE = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": LOGIN,
    "participant": 200,
    "mentor": 200,
    "other_mentor": 200,
    "facilitator": 200,
    "staff": 200,
    "staff_no_2fa": MFA,
}


@_matrix(**SIGNED_200)
def test_my_cohorts(client, world, role, expected):
    _check(_get(client, world, role, "my_cohorts"), expected)


@_matrix(**COHORT_PEOPLE)
def test_sessions(client, world, role, expected):
    _check(_get(client, world, role, "sessions", world["cohort"].pk), expected)


FACILITATORS = {
    **dict.fromkeys(ROLES, 403),
    "anonymous": LOGIN,
    "facilitator": 200,
    "staff": 200,
    "staff_no_2fa": MFA,
}


@_matrix(**FACILITATORS)
def test_attendance_sheet(client, world, role, expected):
    _check(_get(client, world, role, "attendance", world["session"].pk), expected)


@_matrix(**{**FACILITATORS, "facilitator": 302, "staff": 302})
def test_attendance_mark(client, world, role, expected):
    member = world["member"]
    _check(
        _post(client, world, role, "attendance_mark", {"participant": member.pk}, world["session"].pk),
        expected,
    )
    assert Attendance.objects.filter(participant=member, present=True).exists() is (expected == 302)


NOTES = {
    **dict.fromkeys(ROLES, 404),
    "anonymous": LOGIN,
    "participant": 200,
    "mentor": 200,
    "staff": 200,
    "staff_no_2fa": MFA,
}


@_matrix(**NOTES)
def test_mentor_notes(client, world, role, expected):
    _check(_get(client, world, role, "notes", world["member"].pk), expected)


@_matrix(**{**NOTES, "participant": 403, "mentor": 302, "staff": 302})
def test_mentor_note_add(client, world, role, expected):
    _check(
        _post(client, world, role, "notes", {"kind": "meeting", "body": "Takim i parë."}, world["member"].pk),
        expected,
    )
    assert MentorNote.objects.exists() is (expected == 302)


@_matrix(**COHORT_PEOPLE)
def test_projects(client, world, role, expected):
    _check(_get(client, world, role, "projects", world["cohort"].pk), expected)


@_matrix(
    **{
        **dict.fromkeys(ROLES, 404),
        "anonymous": LOGIN,
        "participant": 200,
        "mentor": 200,
        "facilitator": 200,
        "staff": 200,
        "staff_no_2fa": MFA,
    }
)
def test_project_page(client, world, role, expected):
    _check(_get(client, world, role, "project", world["project"].pk), expected)


@_matrix(
    **{**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "mentor": 302, "staff": 302, "staff_no_2fa": MFA}
)
def test_project_comment(client, world, role, expected):
    _check(_post(client, world, role, "project_comment", {"body": "Bravo"}, world["project"].pk), expected)
    assert ProjectComment.objects.exists() is (expected == 302)


# --- completion -------------------------------------------------------------------------------

PARTICIPANT_ONLY = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "staff_no_2fa": MFA}


@_matrix(**{**PARTICIPANT_ONLY, "participant": 400})
def test_project_finish_without_a_result(client, world, role, expected):
    _check(_post(client, world, role, "project_finish", {}, world["project"].pk), expected)
    world["project"].refresh_from_db()
    assert world["project"].finished_at is None


@_matrix(**{**PARTICIPANT_ONLY, "participant": 409})
def test_certificate_not_completed(client, world, role, expected):
    _check(_get(client, world, role, "certificate", world["member"].pk), expected)


@_matrix(**{**PARTICIPANT_ONLY, "participant": 409})
def test_project_handoff_of_an_unfinished_project(client, world, role, expected):
    _check(_post(client, world, role, "project_handoff", {}, world["project"].pk, "grant"), expected)


# --- attendance by QR code --------------------------------------------------------------------


@_matrix(**FACILITATORS)
def test_attendance_qr(client, world, role, expected):
    _check(_get(client, world, role, "attendance_qr", world["session"].pk), expected)


@_matrix(**SIGNED_200)
def test_check_in_page(client, world, role, expected):
    _check(_get(client, world, role, "check_in", world["session"].pk), expected)


@_matrix(
    **{
        **dict.fromkeys(ROLES, 403),
        "anonymous": LOGIN,
        "participant": 200,
    }
)
def test_check_in(client, world, role, expected):
    code = running.checkin_code(world["session"])
    _check(_post(client, world, role, "check_in", {"code": code}, world["session"].pk), expected)
    assert Attendance.objects.filter(present=True).exists() is (expected == 200)
