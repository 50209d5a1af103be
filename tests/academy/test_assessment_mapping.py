"""The organisational self-assessment (baseline, follow-up six months later, the change per
area, the public aggregate hidden below five organisations) and community mapping (the
stakeholders, the grid, privacy and sharing)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from academy import selectors
from academy.models import AssessmentAnswer, CommunityMap, SelfAssessment, Stakeholder
from academy.services import assessment, mapping
from organizations.models import Membership
from tests.academy.training_factories import answers, organization_with, questionnaire
from tests.factories import OrganizationFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _baseline(organization, editor, questions, score=2, days_ago=200):
    return assessment.assessment_submit(
        actor=editor,
        organization=organization,
        kind="baseline",
        answers=answers(questions, score),
        now=timezone.now() - timedelta(days=days_ago),
    )


def test_baseline_then_follow_up_six_months_later_and_the_change():
    questions = questionnaire()
    organization, editor = organization_with()
    baseline = assessment.assessment_submit(
        actor=editor, organization=organization, kind="baseline", answers=answers(questions, 2)
    )
    with pytest.raises(ValidationError) as exc:
        assessment.assessment_submit(
            actor=editor, organization=organization, kind="follow_up", answers=answers(questions, 4)
        )
    assert exc.value.code == "too_early"
    assert "six months after the baseline" in exc.value.messages[0]
    opens = assessment.follow_up_opens_at(baseline)
    with pytest.raises(ValidationError):
        assessment.assessment_submit(
            actor=editor,
            organization=organization,
            kind="follow_up",
            answers=answers(questions, 4),
            now=opens - timedelta(minutes=1),
        )
    assessment.assessment_submit(
        actor=editor, organization=organization, kind="follow_up", answers=answers(questions, 4), now=opens
    )
    rows = selectors.assessment_change(organization)
    assert [(r["baseline"], r["follow_up"], r["change"]) for r in rows] == [(2, 4, 2), (2, 4, 2)]


def test_each_kind_once_and_follow_up_needs_a_baseline():
    questions = questionnaire()
    organization, editor = organization_with()
    with pytest.raises(ValidationError) as exc:
        assessment.assessment_submit(
            actor=editor, organization=organization, kind="follow_up", answers=answers(questions)
        )
    assert exc.value.code == "no_baseline"
    _baseline(organization, editor, questions)
    with pytest.raises(ValidationError) as exc:
        _baseline(organization, editor, questions)
    assert exc.value.code == "already"
    assert SelfAssessment.objects.count() == 1


@pytest.mark.parametrize(
    "bad", [{}, {"x": 3}, "out_of_range", "missing_one"], ids=["empty", "junk", "range", "missing"]
)
def test_every_question_answered_one_to_five(bad):
    questions = questionnaire()
    organization, editor = organization_with()
    if bad == "out_of_range":
        bad = answers(questions, 6)
    elif bad == "missing_one":
        bad = answers(questions[1:])
    with pytest.raises(ValidationError):
        assessment.assessment_submit(actor=editor, organization=organization, kind="baseline", answers=bad)
    assert not SelfAssessment.objects.exists() and not AssessmentAnswer.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "stranger", "other_editor"])
def test_only_its_editors_fill_an_organisations_assessment(role):
    questions = questionnaire()
    organization, _editor = organization_with()
    actor = {
        "viewer": lambda: member_of(organization, Membership.Role.VIEWER),
        "stranger": lambda: member_of(OrganizationFactory(), Membership.Role.VIEWER),
        "other_editor": lambda: organization_with()[1],
    }[role]()
    with pytest.raises(PermissionDenied):
        assessment.assessment_submit(
            actor=actor, organization=organization, kind="baseline", answers=answers(questions)
        )


def test_the_public_aggregate_is_hidden_below_five_organisations():
    questions = questionnaire(areas=1)
    for n in range(5):
        organization, editor = organization_with()
        baseline = _baseline(organization, editor, questions, score=2)
        if n < 4:
            assessment.assessment_submit(
                actor=editor,
                organization=organization,
                kind="follow_up",
                answers=answers(questions, 3),
                now=assessment.follow_up_opens_at(baseline),
            )
    aggregate = selectors.assessment_aggregate()
    assert aggregate["hidden"] and aggregate["count"] == 4 and aggregate["rows"] == []
    assessment.assessment_submit(
        actor=editor,
        organization=organization,
        kind="follow_up",
        answers=answers(questions, 5),
        now=assessment.follow_up_opens_at(baseline),
    )
    aggregate = selectors.assessment_aggregate()
    assert not aggregate["hidden"] and aggregate["count"] == 5
    (row,) = aggregate["rows"]
    assert row["baseline"] == 2 and row["follow_up"] == pytest.approx(3.4)


def test_add_months_keeps_the_day_or_takes_the_last():
    from datetime import datetime

    assert assessment.add_months(datetime(2026, 8, 31, 10), 6) == datetime(2027, 2, 28, 10)
    assert assessment.add_months(datetime(2026, 1, 15), 6) == datetime(2026, 7, 15)


def test_stakeholders_from_the_registry_or_typed_on_the_grid():
    organization, editor = organization_with()
    municipality_office = OrganizationFactory(name="Komuna e Prizrenit")
    mapping.stakeholder_add(
        actor=editor,
        organization=organization,
        data={
            "kind": "institution",
            "registry_organization": municipality_office,
            "interest": 4,
            "influence": 5,
            "relation": "ally",
        },
    )
    mapping.stakeholder_add(
        actor=editor,
        organization=organization,
        data={"kind": "media", "name": "Radio Prizren", "interest": 2, "influence": 2, "relation": "neutral"},
    )
    grid = selectors.community_grid(CommunityMap.objects.get(organization=organization))
    assert [s.display_name for s in grid["manage"]] == ["Komuna e Prizrenit"]
    assert [s.display_name for s in grid["monitor"]] == ["Radio Prizren"]
    assert grid["satisfy"] == [] and grid["inform"] == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "alien", "name": "X", "interest": 3, "influence": 3}, "kind"),
        ({"kind": "group", "name": "", "interest": 3, "influence": 3}, "name"),
        ({"kind": "group", "name": "X", "interest": 0, "influence": 3}, "interest"),
        ({"kind": "group", "name": "X", "interest": 3, "influence": "9"}, "influence"),
        (
            {"kind": "group", "registry_organization": 99999999, "interest": 3, "influence": 3},
            "registry_organization",
        ),
        ({"kind": "group", "name": "X", "interest": 3, "influence": 3, "relation": "enemy"}, "relation"),
    ],
)
def test_bad_stakeholders_are_refused(data, field):
    organization, editor = organization_with()
    with pytest.raises(ValidationError) as exc:
        mapping.stakeholder_add(actor=editor, organization=organization, data=data)
    assert field in exc.value.message_dict
    assert not Stakeholder.objects.exists()


def test_only_editors_change_the_map_and_only_their_own_stakeholders():
    organization, editor = organization_with()
    other, other_editor = organization_with()
    viewer = member_of(organization, Membership.Role.VIEWER)
    data = {"kind": "group", "name": "Grupi i grave", "interest": 5, "influence": 1}
    with pytest.raises(PermissionDenied):
        mapping.stakeholder_add(actor=viewer, organization=organization, data=data)
    with pytest.raises(PermissionDenied):
        mapping.stakeholder_add(actor=other_editor, organization=organization, data=data)
    theirs = mapping.stakeholder_add(actor=other_editor, organization=other, data=data)
    with pytest.raises(ValidationError):
        mapping.stakeholder_remove(actor=editor, organization=organization, stakeholder_id=theirs.pk)
    assert Stakeholder.objects.filter(pk=theirs.pk).exists()
    shared = mapping.map_settings(actor=other_editor, organization=other, shared=True, locality="Prizren")
    assert shared.shared and shared.locality == "Prizren"
