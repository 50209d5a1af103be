"""Reads of the academy reused by views, tasks and the navigation."""

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from academy.choices import FEEDBACK_QUESTIONS, IN_SELECTION, ApplicationStatus, AssessmentKind, CohortStatus
from academy.models import (
    ApplicationReview,
    AssessmentAnswer,
    AssessmentArea,
    Attendance,
    Cohort,
    CohortApplication,
    CommunityProject,
    MentorNote,
    SelfAssessment,
    Session,
    SessionMaterial,
    Stakeholder,
    Training,
    TrainingAttendee,
    TrainingFeedback,
    TrainingRegistration,
)

S = ApplicationStatus
PUBLIC_STATUSES = (CohortStatus.OPEN, CohortStatus.SELECTING, CohortStatus.RUNNING, CohortStatus.FINISHED)


def public_cohorts():
    return (
        Cohort.objects.filter(status__in=PUBLIC_STATUSES)
        .prefetch_related("municipalities")
        .order_by("-applications_close_at", "pk")
    )


def applications_of(user):
    return (
        CohortApplication.objects.filter(applicant=user)
        .select_related("cohort", "municipality")
        .order_by("-created_at", "-pk")
    )


def reviews_of(user):
    return (
        ApplicationReview.objects.filter(reviewer=user)
        .select_related("application__cohort")
        .order_by("status", "-created_at", "-pk")
    )


def ranking(cohort):
    """Applications in selection and decided, best average weighted score first."""
    return (
        cohort.applications.exclude(status=S.DRAFT)
        .select_related("applicant", "municipality")
        .annotate(assigned=Count("reviews"))
        .order_by(F("average_score").desc(nulls_last=True), "submitted_at", "pk")
    )


def in_selection(cohort):
    return cohort.applications.filter(status__in=IN_SELECTION)


def participants(cohort):
    return (
        cohort.applications.filter(status=S.CONFIRMED)
        .select_related("applicant", "mentor")
        .order_by("applicant__full_name", "pk")
    )


def sessions_of(cohort, user=None):
    """The cohort's sessions with the module; with `user`, whether they attended."""
    sessions = (
        Session.objects.filter(cohort=cohort)
        .select_related("module", "facilitator")
        .annotate(materials_count=Count("materials"))
    )
    if user is not None:
        sessions = sessions.annotate(
            attended=Exists(
                Attendance.objects.filter(session=OuterRef("pk"), participant__applicant=user, present=True)
            )
        )
    return sessions.order_by("starts_at", "pk")


def cohorts_taking_part(user):
    """The running or finished cohorts a person sees sessions of (participant, facilitator, mentor)."""
    return (
        Cohort.objects.filter(
            Q(applications__applicant=user, applications__status=S.CONFIRMED)
            | Q(facilitators=user)
            | Q(mentors=user)
        )
        .distinct()
        .order_by("-starts_on", "pk")
    )


def attendance_sheet(session):
    present = {a.participant_id: a.present for a in Attendance.objects.filter(session=session)}
    rows = list(participants(session.cohort))
    for row in rows:
        row.present = present.get(row.pk, False)
    return rows


def mentor_notes(participant):
    return MentorNote.objects.filter(participant=participant).select_related("author")


def projects_of_cohort(cohort):
    return (
        CommunityProject.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("members", queryset=CohortApplication.objects.select_related("applicant")))
        .order_by("pk")
    )


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------

AGGREGATE_MIN_ORGANIZATIONS = 5


def trainings():
    """Every training, with the places taken (one query)."""
    return Training.objects.annotate(taken=Count("attendees")).order_by("-starts_at", "pk")


def training_attendees(training):
    """The attendance sheet: every registered person, by organisation."""
    return (
        TrainingAttendee.objects.filter(training=training)
        .select_related("registration__organization")
        .order_by("registration__organization__name", "pk")
    )


def training_registrations(training):
    return (
        TrainingRegistration.objects.filter(training=training)
        .select_related("organization")
        .prefetch_related("attendees")
        .order_by("organization__name")
    )


def registrations_of_user(user):
    """The training registrations of the organisations the user belongs to."""
    return (
        TrainingRegistration.objects.filter(organization__memberships__user=user)
        .select_related("training", "organization")
        .annotate(people=Count("attendees", distinct=True))
        .order_by("-training__starts_at", "organization__name")
        .distinct()
    )


def feedback_summary(training) -> dict:
    """Averages per question (in the database), the number of answers and the comments."""
    numbers = TrainingFeedback.objects.filter(training=training).aggregate(
        count=Count("pk"), **{name: Avg(name) for name, _label in FEEDBACK_QUESTIONS}
    )
    return {
        "count": numbers["count"],
        "questions": [(label, numbers[name]) for name, label in FEEDBACK_QUESTIONS],
        "comments": list(
            TrainingFeedback.objects.filter(training=training)
            .exclude(comment="")
            .select_related("registration__organization")
            .order_by("-created_at")[:200]
        ),
    }


def _area_averages(answers) -> dict:
    """{area_id: {kind: average}} from AssessmentAnswer rows, computed in the database."""
    found: dict = {}
    for row in answers.values("question__area_id", "assessment__kind").annotate(avg=Avg("score")):
        found.setdefault(row["question__area_id"], {})[row["assessment__kind"]] = row["avg"]
    return found


def _by_area(averages: dict) -> list[dict]:
    rows = []
    for area in AssessmentArea.objects.all():
        values = averages.get(area.pk, {})
        before, after = values.get(AssessmentKind.BASELINE), values.get(AssessmentKind.FOLLOW_UP)
        if before is None and after is None:
            continue
        rows.append(
            {
                "area": area,
                "baseline": before,
                "follow_up": after,
                "change": (after - before) if before is not None and after is not None else None,
            }
        )
    return rows


def assessments_of(organization) -> dict:
    return {a.kind: a for a in SelfAssessment.objects.filter(organization=organization)}


def assessment_change(organization) -> list[dict]:
    """The organisation's average per area, baseline and follow-up, and the change."""
    return _by_area(_area_averages(AssessmentAnswer.objects.filter(assessment__organization=organization)))


def assessment_aggregate(year: int | None = None) -> dict:
    """Averages per area over the organisations that filled both (hidden below five); with
    `year`, only the organisations whose follow-up is dated in that year (the year the change
    was measured), their baseline whenever it was."""
    both = (
        SelfAssessment.objects.values("organization")
        .annotate(kinds=Count("kind", distinct=True))
        .filter(kinds=2)
        .values("organization")
    )
    if year is not None:
        both = both.filter(
            organization__in=SelfAssessment.objects.filter(
                kind=AssessmentKind.FOLLOW_UP, submitted_at__year=year
            ).values("organization")
        )
    count = SelfAssessment.objects.filter(organization__in=both, kind=AssessmentKind.BASELINE).count()
    if count < AGGREGATE_MIN_ORGANIZATIONS:
        return {"count": count, "rows": [], "hidden": True, "minimum": AGGREGATE_MIN_ORGANIZATIONS}
    rows = _by_area(_area_averages(AssessmentAnswer.objects.filter(assessment__organization__in=both)))
    return {"count": count, "rows": rows, "hidden": False, "minimum": AGGREGATE_MIN_ORGANIZATIONS}


QUADRANTS = ("manage", "satisfy", "inform", "monitor")


def community_grid(community_map) -> dict:
    """The stakeholders by quadrant of the interest/influence grid (one query)."""
    grid = {name: [] for name in QUADRANTS}
    if community_map is None or community_map.pk is None:
        return grid
    for stakeholder in Stakeholder.objects.filter(community_map=community_map).select_related("organization"):
        grid[stakeholder.quadrant].append(stakeholder)
    return grid


def alumni_directory():
    """Alumni who opted in to the public directory, newest cohort first, with the title of
    their first finished community project (one query a page)."""
    project = (
        CommunityProject.objects.filter(members=OuterRef("pk"), finished_at__isnull=False)
        .order_by("finished_at", "pk")
        .values("title")[:1]
    )
    return (
        CohortApplication.objects.filter(alumni_listed=True, status=S.CONFIRMED)
        .select_related("applicant", "cohort", "municipality")
        .annotate(project_title=Subquery(project))
        .order_by("-cohort__year", "cohort__title_sq", "applicant__full_name", "pk")
    )


def session_materials(session):
    return SessionMaterial.objects.filter(session=session).select_related("added_by").order_by("pk")


def reviewer_search(query: str, *, limit: int = 20):
    """Who may review (academy.services.selection.reviewer_pool) whose name or email holds `query`."""
    from academy.services.selection import reviewer_pool

    return list(
        reviewer_pool()
        .filter(Q(email__icontains=query) | Q(full_name__icontains=query))
        .order_by("full_name", "email")[:limit]
    )
