"""The academy's moves as data: the table, the buttons a person sees, the history rows."""

import pytest

from academy.choices import ApplicationStatus, CohortStatus
from academy.workflow import APPLICATION, COHORT
from core.models import StatusChange
from core.workflow import TransitionNotAllowed
from tests.academy.factories import make_cohort, submitted
from tests.factories import StaffFactory, UserFactory

S = ApplicationStatus


def test_every_status_is_in_the_table():
    assert set(APPLICATION.moves) == set(S.values)
    assert set(COHORT.moves) == set(CohortStatus.values)


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.DRAFT, S.SELECTED), (S.CONFIRMED, S.DECLINED), (S.NOT_SELECTED, S.SELECTED), (S.LAPSED, S.CONFIRMED)],
)
def test_moves_the_table_refuses(current, target):
    with pytest.raises(TransitionNotAllowed):
        APPLICATION.check(current, target)


@pytest.mark.django_db
def test_only_staff_see_the_selection_buttons_and_history_is_kept():
    cohort = make_cohort()
    application = submitted(cohort)
    staff = StaffFactory()
    assert [t for t, _ in APPLICATION.available_moves(staff, application)] == [
        S.UNDER_REVIEW,
        S.SELECTED,
        S.WAITING_LIST,
        S.NOT_SELECTED,
    ]
    assert APPLICATION.available_moves(UserFactory(), application) == []
    assert APPLICATION.available_moves(application.applicant, application) == []
    assert [
        c.to_status
        for c in StatusChange.objects.filter(object_id=application.pk, workflow="academy.application")
    ] == [S.SUBMITTED]
    assert [t for t, _ in COHORT.available_moves(staff, cohort)] == [CohortStatus.SELECTING]
