"""The moderation of a giving record, as data (`core.workflow`): which move is allowed from
which status, which permission it needs, its button and the colour of each status. The
services (giving.services) make every move through `RECORD`, which writes the history.

    reported ──verify──▶ verified ──reject──▶ rejected ──reopen──▶ reported
        └─────────────── reject (a reason) ──────▶┘

A rejection needs a reason (kept on the record and as the move's note).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workflow import TransitionNotAllowed, Workflow
from giving.choices import Status

# What the moderation forms post, and the status each leads to.
VERIFY, REJECT, REOPEN = "verify", "reject", "reopen"
ACTION_TARGET = {VERIFY: Status.VERIFIED, REJECT: Status.REJECTED, REOPEN: Status.REPORTED}


def _refusal(current: str, target: str) -> str:
    return _("A record that is %(from)s cannot become %(to)s.") % {
        "from": current.lower(),
        "to": target.lower(),
    }


RECORD = Workflow(
    name="giving.record",
    model="giving.givingrecord",
    statuses=Status,
    moves={
        Status.REPORTED: {
            Status.VERIFIED: "giving.moderate_record",
            Status.REJECTED: "giving.moderate_record",
        },
        Status.VERIFIED: {Status.REJECTED: "giving.moderate_record"},
        Status.REJECTED: {Status.REPORTED: "giving.moderate_record"},
    },
    labels={
        Status.VERIFIED: gettext_lazy("Verify"),
        Status.REJECTED: gettext_lazy("Reject"),
        Status.REPORTED: gettext_lazy("Reopen for moderation"),
    },
    colours={Status.REPORTED: "secondary", Status.VERIFIED: "success", Status.REJECTED: "danger"},
    refusal=_refusal,
    code="invalid_transition",
)

__all__ = ["ACTION_TARGET", "RECORD", "REJECT", "REOPEN", "VERIFY", "TransitionNotAllowed"]
