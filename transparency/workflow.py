"""The life of a yearly transparency report, as data: which move is allowed from which
status, and which permission it needs. Services check every move against this table;
templates draw only the buttons of `available_transitions`.

    draft ──submit──▶ submitted ──publish──▶ published ──(a correction is published)──▶ superseded
                        │    ▲
                 return │    │ submit
                        ▼    │
                       returned
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transparency.choices import ReportStatus

S = ReportStatus

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.SUBMITTED: "transparency.submit_report"},
    S.RETURNED: {S.SUBMITTED: "transparency.submit_report"},
    S.SUBMITTED: {
        S.RETURNED: "transparency.review_report",
        S.PUBLISHED: "transparency.publish_report",
    },
    # Done by report_publish when a correction of the same year is published.
    S.PUBLISHED: {S.SUPERSEDED: "transparency.publish_report"},
    S.SUPERSEDED: {},
}

# What a person presses to make the move (the button label).
ACTION_LABELS = {
    S.SUBMITTED: gettext_lazy("Submit for checking"),
    S.RETURNED: gettext_lazy("Return with comments"),
    S.PUBLISHED: gettext_lazy("Accept and publish"),
    S.SUPERSEDED: gettext_lazy("Supersede"),
}

# Statuses in which the organisation may still change its report.
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)


class TransitionNotAllowed(ValidationError):
    """A move the table does not allow (shown as a 400 with this message)."""


def check_transition(current: str, target: str) -> str:
    """The permission the move needs; TransitionNotAllowed when the table has no such move."""
    try:
        return TRANSITIONS[current][target]
    except KeyError:
        raise TransitionNotAllowed(
            _("A report that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            code="transition_not_allowed",
        ) from None


def available_transitions(user, report) -> list[tuple[str, str]]:
    """(target status, button label) of the moves `user` may make on `report` now."""
    moves = []
    for target, perm in TRANSITIONS.get(report.status, {}).items():
        if target == S.SUPERSEDED:
            continue  # never pressed: it follows from publishing a correction
        if user.has_perm(perm, report):
            moves.append((target, str(ACTION_LABELS[target])))
    return moves
