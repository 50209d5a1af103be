"""Builders of the academy tests: a cohort open for applications (with a rubric), people in
every role, and applications driven through the real services to a state."""

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from academy.choices import ApplicationStatus, CohortStatus
from academy.models import Cohort, CohortCriterion, Module, Session
from academy.services import applications, selection
from core.models import Municipality
from tests.factories import StaffFactory, UserFactory

S = ApplicationStatus


def municipality(slug="prishtine"):
    return Municipality.objects.get(slug=slug)


def make_cohort(
    *,
    places=2,
    status=CohortStatus.OPEN,
    starts_in_days=60,
    municipalities=("prishtine", "prizren"),
    min_age=16,
    max_age=29,
    criteria=True,
    **kwargs,
) -> Cohort:
    now = timezone.now()
    cohort = Cohort.objects.create(
        year=timezone.localdate().year,
        title_sq="Akademia e Liderëve të Komunitetit",
        title_sr="Akademija lidera zajednice",
        title_en="Community Leadership Academy",
        places=places,
        min_age=min_age,
        max_age=max_age,
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now + timedelta(days=20),
        starts_on=timezone.localdate() + timedelta(days=starts_in_days),
        status=status,
        **kwargs,
    )
    cohort.municipalities.set(Municipality.objects.filter(slug__in=municipalities))
    if criteria:
        CohortCriterion.objects.create(
            cohort=cohort, order=1, title_sq="Motivimi", title_en="Motivation", weight=2, max_score=5
        )
        CohortCriterion.objects.create(
            cohort=cohort, order=2, title_sq="Ideja", title_en="Community idea", weight=1, max_score=5
        )
    return cohort


def born_aged(age: int, on: date) -> date:
    return on.replace(year=on.year - age) - timedelta(days=30)


ANSWERS = {
    "motivation": "Dua të ndryshoj lagjen time.",
    "community_issue": "Mungesa e hapësirave për të rinjtë.",
    "availability": "Fundjavat",
    "reference_name": "Arta Krasniqi",
    "reference_contact": "+383 44 123 456",
}


def draft(cohort, user=None, *, age=20, slug="prishtine"):
    user = user or UserFactory()
    return applications.application_start(
        actor=user,
        cohort=cohort,
        date_of_birth=born_aged(age, cohort.starts_on),
        municipality=municipality(slug),
    )


def submitted(cohort, user=None, **kwargs):
    application = draft(cohort, user, **kwargs)
    applications.application_save(actor=application.applicant, application=application, data=ANSWERS)
    return applications.application_submit(actor=application.applicant, application=application)


def reviewer():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=selection.REVIEWERS_GROUP)[0])
    return user


def scored(application, *, staff, scores=(5, 5), person=None):
    """A reviewer assigned, no conflict declared, the review submitted with `scores`."""
    person = person or reviewer()
    selection.reviewers_assign(actor=staff, application=application, reviewers=[person])
    selection.conflict_declare(actor=person, application=application, has_conflict=False)
    criteria = list(application.cohort.criteria.all())
    selection.review_save(
        actor=person,
        application=application,
        scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
        submit=True,
    )
    return person


def participant(cohort, user=None, *, staff=None):
    """A confirmed participant of `cohort` (submitted, selected, confirmed)."""
    staff = staff or StaffFactory()
    application = submitted(cohort, user)
    selection.selection_decide(actor=staff, cohort=cohort, selected=[application.pk])
    application.refresh_from_db()
    selection.offer_respond(actor=application.applicant, application=application, accept=True)
    application.refresh_from_db()
    return application


def running_session(cohort, *, facilitator=None, today=True):
    module = Module.objects.get_or_create(cohort=cohort, order=1, defaults={"title_sq": "Lidershipi"})[0]
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=1) if today else now + timedelta(days=3)
    return Session.objects.create(
        module=module,
        title="Harta e komunitetit",
        starts_at=start,
        ends_at=timezone.localtime(now).replace(hour=23, minute=58) if today else start + timedelta(hours=2),
        place="Prishtinë, Qendra Rinore",
        facilitator=facilitator,
    )
