"""Who may do what in grants. Checked by views (and admin actions) and again by services.

Objects: `*_application`, `*_review` permissions take an Application; `*_grant` and
`*_grant_report` permissions take a Grant; `view_call` and `apply_to_call` take a Call.

- The applicant is the person who started the application; for an organisation's
  application, the organisation's owners and editors act as applicant too, and its
  viewers may read it.
- A reviewer sees an application only when assigned to it and after declaring no
  conflict of interest.
- KCSF staff (active, `is_staff`) screen, assign, decide and manage grants.
"""

import rules

from grants.choices import EDITABLE_STATUSES, AssignmentStatus
from organizations.rules import is_org_editor, is_org_member

is_staff = rules.is_staff & rules.is_active


def _application(obj):
    """The application behind an Application or a Grant."""
    if obj is None:
        return None
    return getattr(obj, "application", obj) if obj.__class__.__name__ == "Grant" else obj


@rules.predicate
def is_applicant(user, obj):
    """May act for the applicant: the person who applied or an editor of the organisation."""
    application = _application(obj)
    if application is None or not user.is_authenticated:
        return False
    if application.organization_id:
        return is_org_editor(user, application.organization)
    return application.applicant_id == user.pk


@rules.predicate
def is_applicant_reader(user, obj):
    """May read the applicant's side: the applicant, or any member of the organisation."""
    application = _application(obj)
    if application is None or not user.is_authenticated:
        return False
    if application.applicant_id == user.pk:
        return True
    return bool(application.organization_id) and is_org_member(user, application.organization)


@rules.predicate
def is_published_call(user, call):
    return call is not None and call.is_published


@rules.predicate
def is_editable(user, application):
    return application is not None and application.status in EDITABLE_STATUSES


def _assignment_status(user, application):
    if application is None or not user.is_authenticated:
        return None
    cache = getattr(user, "_grant_assignment_cache", None)
    if cache is None:
        cache = user._grant_assignment_cache = {}
    key = (application.pk, application.stage)
    if key not in cache:
        cache[key] = (
            application.assignments.filter(reviewer=user, stage=application.stage)
            .values_list("status", flat=True)
            .first()
        )
    return cache[key]


def forget_assignments(*users) -> None:
    """Drop the cached assignment statuses of `users` (services call it after changing an
    assignment, so that a later check on the same user object sees the change)."""
    for user in users:
        if user is not None and hasattr(user, "__dict__"):
            user.__dict__.pop("_grant_assignment_cache", None)


@rules.predicate
def is_assigned_reviewer(user, application):
    """Assigned to review this application at its current stage (conflict not yet declared)."""
    return _assignment_status(user, application) == AssignmentStatus.ASSIGNED


@rules.predicate
def is_cleared_reviewer(user, application):
    """Assigned, and declared no conflict of interest: may read the application and score it."""
    return _assignment_status(user, application) in (AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED)


@rules.predicate
def is_reviewer_pool_member(user):
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.groups.filter(name="Grant reviewers").exists())
    )


# On a call
rules.add_perm("grants.view_call", is_published_call | is_staff)
rules.add_perm("grants.apply_to_call", rules.is_authenticated)
rules.add_perm("grants.manage_call", is_staff)

# On an application: the applicant's side
rules.add_perm("grants.view_application", is_applicant_reader | is_staff | is_cleared_reviewer)
rules.add_perm("grants.view_application_private", is_applicant_reader | is_staff)
rules.add_perm("grants.edit_application", is_applicant & is_editable)
rules.add_perm("grants.submit_application", is_applicant)
rules.add_perm("grants.withdraw_application", is_applicant)
rules.add_perm("grants.message_application", is_applicant | is_staff)

# On an application: KCSF's side
rules.add_perm("grants.screen_application", is_staff)
rules.add_perm("grants.assign_reviewers", is_staff)
rules.add_perm("grants.request_changes", is_staff)
rules.add_perm("grants.decide_application", is_staff)
rules.add_perm("grants.view_all_reviews", is_staff)

# On an application: the reviewer's side
rules.add_perm("grants.declare_conflict", is_assigned_reviewer)
rules.add_perm("grants.review_application", is_cleared_reviewer)
rules.add_perm("grants.act_as_reviewer", is_reviewer_pool_member)

# On a grant
rules.add_perm("grants.view_grant", is_applicant_reader | is_staff)
rules.add_perm("grants.submit_grant_report", is_applicant)
rules.add_perm("grants.manage_grant", is_staff)
