"""The life of a help request, as data (`core.workflow`). Services make every move through
`REQUEST` (which writes the history); pages draw the badges with `{% status_badge %}`.

    new ──assign──▶ assigned ──start──▶ in progress ──answer──▶ answered ──close──▶ closed
     │                 │                    │
     └──── decline (with a reason) ─────────┴──▶ declined
"""

from django.utils.translation import gettext_lazy

from assistance.choices import MentoringStatus, RequestStatus
from core.workflow import TransitionNotAllowed, Workflow

S = RequestStatus

REQUEST = Workflow(
    name="assistance.request",
    model="assistance.helprequest",
    statuses=RequestStatus,
    moves={
        S.NEW: {S.ASSIGNED: "assistance.assign_request", S.DECLINED: "assistance.decline_request"},
        S.ASSIGNED: {S.IN_PROGRESS: "assistance.start_request", S.DECLINED: "assistance.decline_request"},
        S.IN_PROGRESS: {S.ANSWERED: "assistance.answer_request", S.DECLINED: "assistance.decline_request"},
        S.ANSWERED: {S.CLOSED: "assistance.close_request"},
        S.CLOSED: {},
        S.DECLINED: {},
    },
    labels={
        S.ASSIGNED: gettext_lazy("Assign"),
        S.IN_PROGRESS: gettext_lazy("Start working on it"),
        S.ANSWERED: gettext_lazy("Send the answer"),
        S.CLOSED: gettext_lazy("Close"),
        S.DECLINED: gettext_lazy("Decline"),
    },
    colours={
        S.NEW: "info",
        S.ASSIGNED: "primary",
        S.IN_PROGRESS: "warning",
        S.ANSWERED: "success",
        S.CLOSED: "secondary",
        S.DECLINED: "danger",
    },
    refusal=gettext_lazy("A request that is “%(current)s” cannot become “%(target)s”."),
)


M = MentoringStatus

MENTORING = Workflow(
    name="assistance.mentoring",
    model="assistance.mentoringseries",
    statuses=MentoringStatus,
    moves={
        M.ACTIVE: {M.COMPLETED: "assistance.complete_series", M.CANCELLED: "assistance.cancel_series"},
        M.COMPLETED: {},
        M.CANCELLED: {},
    },
    labels={M.COMPLETED: gettext_lazy("Mark as completed"), M.CANCELLED: gettext_lazy("Cancel the series")},
    colours={M.ACTIVE: "primary", M.COMPLETED: "success", M.CANCELLED: "secondary"},
    refusal=gettext_lazy("A mentoring series that is “%(current)s” cannot become “%(target)s”."),
)

__all__ = ["MENTORING", "REQUEST", "TransitionNotAllowed"]
