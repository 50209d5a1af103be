"""Who may do what at the help desk. Confidential above all: a request, its thread and its
files are seen only by the requester side (the requester, and the members of the requesting
organisation), the assigned expert and staff (with a passed second factor: without it
`has_perm` sees an ordinary member). Views answer 404 to everyone else; services check again.
"""

import rules

from assistance.choices import ANSWERED_STATUSES, THREAD_OPEN_STATUSES, MentoringStatus, RequestStatus
from organizations.rules import is_org_member

is_staff = rules.is_staff & rules.is_active


@rules.predicate
def is_requester_side(user, request):
    if request is None or not user.is_authenticated:
        return False
    if request.requester_id == user.pk:
        return True
    return request.organization_id is not None and is_org_member(user, request.organization)


@rules.predicate
def is_assigned_expert(user, request):
    return (
        request is not None
        and user.is_authenticated
        and request.expert_id is not None
        and request.expert.user_id == user.pk
        and request.expert.active
    )


@rules.predicate
def is_active_expert(user):
    expert = getattr(user, "assistance_expert", None) if user.is_authenticated else None
    return expert is not None and expert.active


@rules.predicate
def thread_is_open(user, request):
    return request is not None and request.status in THREAD_OPEN_STATUSES


@rules.predicate
def is_answered(user, request):
    return request is not None and request.status in ANSWERED_STATUSES


@rules.predicate
def is_open_for_consent(user, request):
    return request is not None and request.status != RequestStatus.DECLINED


rules.add_perm("assistance.submit_request", rules.is_authenticated & rules.is_active)
rules.add_perm("assistance.expert_inbox", is_active_expert)
rules.add_perm("assistance.manage_requests", is_staff)

# On a request
rules.add_perm("assistance.view_request", is_requester_side | is_assigned_expert | is_staff)
rules.add_perm("assistance.post_message", (is_requester_side | is_assigned_expert) & thread_is_open)
rules.add_perm("assistance.assign_request", is_staff)
rules.add_perm("assistance.decline_request", is_staff)
rules.add_perm("assistance.start_request", is_assigned_expert)
rules.add_perm("assistance.answer_request", is_assigned_expert)
rules.add_perm("assistance.close_request", is_requester_side | is_staff)
rules.add_perm("assistance.rate_request", is_requester_side)
rules.add_perm("assistance.give_consent", is_requester_side & is_open_for_consent)
rules.add_perm("assistance.publish_knowledge", is_staff & is_answered)


# --- Mentoring series: seen by the mentor, the organisation's members and staff ---------------


@rules.predicate
def is_series_mentor(user, series):
    return (
        series is not None
        and user.is_authenticated
        and series.mentor.user_id == user.pk
        and series.mentor.active
    )


@rules.predicate
def is_series_org_member(user, series):
    return series is not None and is_org_member(user, series.organization)


@rules.predicate
def series_is_active(user, series):
    return series is not None and series.status == MentoringStatus.ACTIVE


rules.add_perm("assistance.mentoring_list", rules.is_authenticated & rules.is_active)
rules.add_perm("assistance.create_series", is_staff)
rules.add_perm("assistance.view_series", is_series_mentor | is_series_org_member | is_staff)
rules.add_perm("assistance.plan_session", (is_series_mentor | is_staff) & series_is_active)
rules.add_perm("assistance.log_session", is_series_mentor & series_is_active)
rules.add_perm("assistance.complete_series", is_series_mentor | is_staff)
rules.add_perm("assistance.cancel_series", is_staff)
