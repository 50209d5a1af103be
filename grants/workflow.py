"""The life of a grant application, as data: which move is allowed from which status and
which permission it needs. Services check every move against this table; templates draw
only the buttons of `available_transitions`.

    draft ──submit──▶ submitted ──screen: eligible──▶ under_review ──decide──▶ approved
      │                 │  │                            │  │  │                rejected
      │                 │  └─screen: ineligible─▶ ineligible  │  └─(two-stage concept)─▶ invited
      │                 │                                     │                            │
      │                 └──ask for more information──▶ changes_requested ◀─ ask for changes┘
      │                                                 │ resubmit (back to submitted, or to
      │                                                 ▼ under_review when already eligible)
      └── withdraw (any status before a decision) ──▶ withdrawn

An invited concept note becomes a full proposal (stage "full") that the applicant drafts
and submits like a first application.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grants.choices import ApplicationStatus

S = ApplicationStatus

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {
        S.SUBMITTED: "grants.submit_application",
        S.WITHDRAWN: "grants.withdraw_application",
    },
    S.SUBMITTED: {
        S.UNDER_REVIEW: "grants.screen_application",
        S.INELIGIBLE: "grants.screen_application",
        S.CHANGES_REQUESTED: "grants.request_changes",
        S.WITHDRAWN: "grants.withdraw_application",
    },
    S.UNDER_REVIEW: {
        S.APPROVED: "grants.decide_application",
        S.REJECTED: "grants.decide_application",
        S.INVITED: "grants.decide_application",
        S.CHANGES_REQUESTED: "grants.request_changes",
        S.WITHDRAWN: "grants.withdraw_application",
    },
    S.CHANGES_REQUESTED: {
        S.SUBMITTED: "grants.submit_application",
        S.UNDER_REVIEW: "grants.submit_application",
        S.WITHDRAWN: "grants.withdraw_application",
    },
    S.INVITED: {
        S.SUBMITTED: "grants.submit_application",
        S.WITHDRAWN: "grants.withdraw_application",
    },
    S.INELIGIBLE: {},
    S.APPROVED: {},
    S.REJECTED: {},
    S.WITHDRAWN: {},
}

# What a person presses to make the move (the button label).
ACTION_LABELS = {
    S.SUBMITTED: gettext_lazy("Submit"),
    S.UNDER_REVIEW: gettext_lazy("Eligible: send to review"),
    S.INELIGIBLE: gettext_lazy("Ineligible"),
    S.CHANGES_REQUESTED: gettext_lazy("Ask for more information"),
    S.INVITED: gettext_lazy("Invite to the full proposal"),
    S.APPROVED: gettext_lazy("Approve"),
    S.REJECTED: gettext_lazy("Reject"),
    S.WITHDRAWN: gettext_lazy("Withdraw"),
}


class TransitionNotAllowed(ValidationError):
    """A move the table does not allow (shown as a 400 with this message)."""


def _label(status) -> str:
    try:
        return str(S(status).label)
    except (ValueError, TypeError):  # not a status at all (tampered input)
        return str(status)


def check_transition(current: str, target: str) -> str:
    """The permission the move needs; TransitionNotAllowed when the table has no such move."""
    try:
        return TRANSITIONS[current][target]
    except (KeyError, TypeError):
        raise TransitionNotAllowed(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": _label(current), "target": _label(target)},
            code="transition_not_allowed",
        ) from None


def available_transitions(user, application) -> list[tuple[str, str]]:
    """(target status, button label) of the moves `user` may make on `application` now.
    The resubmission's target (submitted or under review) is chosen by the service, so it
    is offered once, as "submit"."""
    moves = []
    for target, perm in TRANSITIONS.get(application.status, {}).items():
        if application.status == S.CHANGES_REQUESTED and target == S.UNDER_REVIEW:
            continue
        if target == S.INVITED and application.stage != "concept":
            continue
        if target == S.APPROVED and application.stage == "concept":
            continue
        if user.has_perm(perm, application):
            moves.append((target, str(ACTION_LABELS[target])))
    return moves
