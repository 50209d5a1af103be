"""Who may do what in the academy. Checked by views and again by services.

Objects: `*_cohort` / `*_participants` / `select_*` take a Cohort; `*_application`,
`respond_to_offer` and `*_mentor_notes` take a CohortApplication; `take_attendance` takes a
Session; `*_project` takes a CommunityProject.

- Applicants see and edit their own applications; a reviewer reads an application only when
  assigned to it and after declaring no conflict of interest.
- Participants (confirmed applicants), the cohort's facilitators and mentors and staff see
  the cohort's sessions; facilitators take attendance.
- Mentor notes are private to the participant's mentor, the participant and staff.
- KCSF staff (active, `is_staff`, with a passed second factor: core.permissions) run the rest.
"""

import rules

from academy.choices import ApplicationStatus
from core.review import ReviewStatus
from organizations.rules import is_org_editor, is_org_member

is_staff = rules.is_staff & rules.is_active
S = ApplicationStatus


@rules.predicate
def is_applicant(user, application):
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def is_draft(user, application):
    return application is not None and application.status == S.DRAFT


@rules.predicate
def is_offered(user, application):
    return application is not None and application.status == S.SELECTED


def _review_status(user, application):
    if application is None or not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_academy_review_cache", {})
    if application.pk not in cache:
        cache[application.pk] = (
            application.reviews.filter(reviewer=user).values_list("status", flat=True).first()
        )
    return cache[application.pk]


def forget_reviews(*users) -> None:
    """Drop the cached review statuses (services call it after changing an assignment)."""
    for user in users:
        if user is not None and hasattr(user, "__dict__"):
            user.__dict__.pop("_academy_review_cache", None)


@rules.predicate
def is_assigned_reviewer(user, application):
    """Assigned to this application (the conflict of interest not yet declared)."""
    return _review_status(user, application) == ReviewStatus.ASSIGNED


@rules.predicate
def is_cleared_reviewer(user, application):
    """Assigned and declared no conflict: may read and score."""
    return _review_status(user, application) in (ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED)


def _cohort(obj):
    return getattr(obj, "cohort", obj) if obj is not None else None


def _in(user, cohort, relation: str) -> bool:
    if cohort is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_academy_roles_cache", {})
    key = (relation, cohort.pk)
    if key not in cache:
        cache[key] = getattr(cohort, relation).filter(pk=user.pk).exists()
    return cache[key]


@rules.predicate
def is_facilitator(user, obj):
    """A facilitator of the cohort (of a session: its own facilitator too)."""
    if not user.is_authenticated:
        return False
    if obj is not None and getattr(obj, "facilitator_id", None) == user.pk:
        return True
    return _in(user, _cohort(obj), "facilitators")


@rules.predicate
def is_cohort_mentor(user, obj):
    return _in(user, _cohort(obj), "mentors")


@rules.predicate
def is_participant(user, obj):
    cohort = _cohort(obj)
    if cohort is None or not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_academy_roles_cache", {})
    key = ("participant", cohort.pk)
    if key not in cache:
        cache[key] = cohort.applications.filter(applicant=user, status=S.CONFIRMED).exists()
    return cache[key]


@rules.predicate
def is_participants_mentor(user, application):
    return application is not None and user.is_authenticated and application.mentor_id == user.pk


@rules.predicate
def is_the_participant(user, application):
    return is_applicant(user, application) and application.status == S.CONFIRMED


@rules.predicate
def is_project_member(user, project):
    return (
        project is not None
        and user.is_authenticated
        and project.members.filter(applicant=user, status=S.CONFIRMED).exists()
    )


@rules.predicate
def mentors_a_member(user, project):
    return project is not None and user.is_authenticated and project.members.filter(mentor=user).exists()


is_signed_in = rules.is_authenticated & rules.is_active

# Applying
rules.add_perm("academy.apply_to_cohort", is_signed_in)
rules.add_perm("academy.view_application", is_applicant | is_cleared_reviewer | is_staff)
rules.add_perm("academy.edit_application", is_applicant & is_draft)
rules.add_perm("academy.submit_application", is_applicant & is_draft)
rules.add_perm("academy.respond_to_offer", is_applicant & is_offered)

# Reviewing and selecting
rules.add_perm("academy.declare_conflict", is_assigned_reviewer)
rules.add_perm("academy.review_application", is_cleared_reviewer)
rules.add_perm("academy.assign_reviewers", is_staff)
rules.add_perm("academy.select_participants", is_staff)
rules.add_perm("academy.manage_cohort", is_staff)

# Running the cohort
rules.add_perm("academy.view_sessions", is_participant | is_facilitator | is_cohort_mentor | is_staff)
rules.add_perm("academy.take_attendance", is_facilitator | is_staff)
rules.add_perm("academy.view_mentor_notes", is_the_participant | is_participants_mentor | is_staff)
rules.add_perm("academy.add_mentor_note", is_participants_mentor | is_staff)
rules.add_perm("academy.start_project", is_participant)
rules.add_perm("academy.view_project", is_project_member | mentors_a_member | is_facilitator | is_staff)
rules.add_perm("academy.edit_project", is_project_member)
rules.add_perm("academy.comment_on_project", mentors_a_member | is_staff)
rules.add_perm("academy.download_certificate", is_the_participant)


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------
# Objects: `*_training*` take a Training; `*_organization_*` and `*_map` take an Organization;
# `view_shared_map` takes a CommunityMap. Roles in organisations are organizations.rules'.


def _registered_org_ids(user, training) -> set:
    """The ids of the user's organisations registered to the training (one query, cached)."""
    if training is None or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_academy_training_cache", {})
    if training.pk not in cache:
        cache[training.pk] = set(
            training.registrations.filter(organization__memberships__user=user).values_list(
                "organization_id", flat=True
            )
        )
    return cache[training.pk]


def forget_trainings(user) -> None:
    if user is not None and hasattr(user, "__dict__"):
        user.__dict__.pop("_academy_training_cache", None)


@rules.predicate
def is_member_of_registered_org(user, training):
    return bool(_registered_org_ids(user, training))


@rules.predicate
def training_has_started(user, training):
    return training is not None and training.has_started()


@rules.predicate
def training_has_ended(user, training):
    return training is not None and training.has_ended()


@rules.predicate
def map_is_shared(user, community_map):
    return community_map is not None and community_map.shared


rules.add_perm("academy.manage_trainings", is_staff)
rules.add_perm("academy.register_for_training", is_signed_in)  # for which organisation: the service checks
rules.add_perm(
    "academy.view_training_materials", (is_member_of_registered_org & training_has_started) | is_staff
)
rules.add_perm("academy.give_training_feedback", is_member_of_registered_org & training_has_ended)
rules.add_perm("academy.view_organization_assessment", is_org_member | is_staff)
rules.add_perm("academy.fill_organization_assessment", is_org_editor)
rules.add_perm("academy.view_community_map", is_org_member | is_staff)
rules.add_perm("academy.edit_community_map", is_org_editor)
rules.add_perm("academy.view_shared_map", map_is_shared)

# Figures, alumni and session materials
rules.add_perm("academy.view_figures", is_staff)
rules.add_perm("academy.join_alumni", is_the_participant)
# A session's materials: its cohort's people see them (the object is a Session or a material's session).
rules.add_perm("academy.view_materials", is_participant | is_facilitator | is_cohort_mentor | is_staff)
rules.add_perm("academy.manage_materials", is_facilitator | is_staff)
