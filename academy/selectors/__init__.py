"""Reads of the academy reused by views, tasks and the navigation."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery

from academy.choices import IN_SELECTION, ApplicationStatus, CohortStatus
from academy.models import (
    ApplicationReview,
    Attendance,
    Cohort,
    CohortApplication,
    CommunityProject,
    MentorNote,
    Session,
    SessionMaterial,
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
