"""A small, exact world for the training figures (tests/academy/test_figures_trainings.py):
trainings held in 2024 and 2025 and one to come, their attendees and feedback, and the
self-assessments of six organisations (five with a follow-up in 2025, one in 2024)."""

from datetime import datetime, timedelta

from django.utils import timezone

from academy.models import (
    AssessmentAnswer,
    SelfAssessment,
    TrainingAttendee,
    TrainingFeedback,
    TrainingRegistration,
)
from tests.academy.training_factories import make_training, questionnaire
from tests.factories import OrganizationFactory, UserFactory


def _at(year, month, day, hour=10):
    return timezone.make_aware(datetime(year, month, day, hour, 0))


def _held(when):
    return make_training(
        phase="held",
        starts_at=when,
        ends_at=when + timedelta(hours=6),
        registration_opens_at=when - timedelta(days=20),
        registration_closes_at=when - timedelta(days=3),
    )


def _register(training, organization, present, absent=0, feedback=None):
    registration = TrainingRegistration.objects.create(training=training, organization=organization)
    for i in range(present + absent):
        TrainingAttendee.objects.create(
            registration=registration,
            training=training,
            name=f"Attendee {i} {organization.pk}",
            present=i < present,
        )
    if feedback:
        content, facilitation, apply = feedback
        TrainingFeedback.objects.create(
            training=training,
            registration=registration,
            author=UserFactory(),
            content=content,
            facilitation=facilitation,
            apply=apply,
        )
    return registration


def _assess(organization, kind, when, scores, questions):
    assessment = SelfAssessment.objects.create(organization=organization, kind=kind, submitted_at=when)
    for question, score in zip(questions, scores, strict=True):
        AssessmentAnswer.objects.create(assessment=assessment, question=question, score=score)


def build():
    """2025: two trainings held, 8 registered, 5 present (62.5 %), organisations trained 2
    (A and C; B's people stayed away), 3 feedback answers: content 4.33, facilitation 3.33,
    apply 4.0. Self-assessment, follow-ups of 2025: 5 organisations, area 0 from 2 to 4.2
    (+2.2), area 1 from 3 to 3 (0). 2024: one training, one organisation, 3 of 3 present."""
    org_a, org_b, org_c, org_d, org_e = (OrganizationFactory() for _ in range(5))
    t1 = _held(_at(2025, 5, 10))
    t2 = _held(_at(2025, 9, 20))
    t3 = _held(_at(2024, 11, 1))
    coming = make_training(phase="open")
    _register(t1, org_a, present=2, absent=1, feedback=(5, 4, 3))
    _register(t1, org_b, present=0, absent=2, feedback=(3, 4, 5))
    _register(t2, org_a, present=1)
    _register(t2, org_c, present=2, feedback=(5, 2, 4))
    _register(t3, org_d, present=3, feedback=(1, 1, 1))
    _register(coming, org_e, present=0, absent=2)

    questions = questionnaire(areas=2, per_area=1)
    organizations = [OrganizationFactory() for _ in range(6)]
    for n, organization in enumerate(organizations[:5]):
        _assess(organization, "baseline", _at(2024, 10, 1), [2, 3], questions)
        _assess(organization, "follow_up", _at(2025, 4, 1), [5 if n == 4 else 4, 3], questions)
    _assess(organizations[5], "baseline", _at(2024, 1, 1), [1, 1], questions)
    _assess(organizations[5], "follow_up", _at(2024, 7, 1), [5, 5], questions)
    return {"trainings": [t1, t2, t3, coming], "areas": [questions[0].area, questions[1].area]}
