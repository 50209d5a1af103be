"""The statuses of dialogue's models and the moves between them, as data (core.workflow).

event:        draft ──publish──▶ published ──cancel──▶ cancelled   (draft ──cancel──▶ cancelled)
registration: waiting ──(a place frees)──▶ registered ──check in──▶ attended
              waiting / registered ──cancel──▶ cancelled
commitment:   planned ⇄ in progress ──▶ done; any open one ──▶ dropped;
              an open one past its date ──(daily task)──▶ late ──▶ in progress / done / dropped
partnership:  forming ──▶ active ──▶ completed; forming / active ──▶ ended
consultation: draft ──open──▶ open ──close──▶ closed   (open ones past their close date are
              closed by the periodic task)
"""

from django.utils.translation import gettext_lazy

from core.workflow import Workflow
from dialogue.choices import (
    CommitmentStatus,
    ConsultationStatus,
    EventStatus,
    PartnershipStatus,
    RegistrationStatus,
)

E = EventStatus
R = RegistrationStatus
C = CommitmentStatus

EVENT = Workflow(
    name="dialogue.event",
    model="dialogue.event",
    statuses=EventStatus,
    moves={
        E.DRAFT: {E.PUBLISHED: "dialogue.publish_event", E.CANCELLED: "dialogue.cancel_event"},
        E.PUBLISHED: {E.CANCELLED: "dialogue.cancel_event"},
        E.CANCELLED: {},
    },
    labels={E.PUBLISHED: gettext_lazy("Publish"), E.CANCELLED: gettext_lazy("Cancel the event")},
    colours={E.DRAFT: "light", E.PUBLISHED: "success", E.CANCELLED: "secondary"},
    refusal=gettext_lazy("An event that is “%(current)s” cannot become “%(target)s”."),
)

REGISTRATION = Workflow(
    name="dialogue.registration",
    model="dialogue.registration",
    statuses=RegistrationStatus,
    moves={
        R.WAITING: {
            R.REGISTERED: "dialogue.manage_registrations",
            R.CANCELLED: "dialogue.cancel_registration",
        },
        R.REGISTERED: {R.ATTENDED: "dialogue.check_in", R.CANCELLED: "dialogue.cancel_registration"},
        R.ATTENDED: {},
        R.CANCELLED: {},
    },
    labels={R.ATTENDED: gettext_lazy("Check in"), R.CANCELLED: gettext_lazy("Cancel the registration")},
    colours={R.REGISTERED: "success", R.WAITING: "warning", R.CANCELLED: "secondary", R.ATTENDED: "primary"},
    permission_object=lambda registration: registration,
    refusal=gettext_lazy("A registration that is “%(current)s” cannot become “%(target)s”."),
)

_UPDATE = "dialogue.update_commitment"
_MARK_LATE = "dialogue.mark_commitment_late"

COMMITMENT = Workflow(
    name="dialogue.commitment",
    model="dialogue.commitment",
    statuses=CommitmentStatus,
    moves={
        C.PLANNED: {C.IN_PROGRESS: _UPDATE, C.DONE: _UPDATE, C.DROPPED: _UPDATE, C.LATE: _MARK_LATE},
        C.IN_PROGRESS: {C.DONE: _UPDATE, C.DROPPED: _UPDATE, C.LATE: _MARK_LATE},
        C.LATE: {C.IN_PROGRESS: _UPDATE, C.DONE: _UPDATE, C.DROPPED: _UPDATE},
        C.DONE: {C.IN_PROGRESS: _UPDATE},
        C.DROPPED: {},
    },
    labels={
        C.IN_PROGRESS: gettext_lazy("Mark in progress"),
        C.DONE: gettext_lazy("Mark done"),
        C.DROPPED: gettext_lazy("Drop"),
        C.LATE: gettext_lazy("Mark late"),
    },
    colours={
        C.PLANNED: "info",
        C.IN_PROGRESS: "primary",
        C.DONE: "success",
        C.LATE: "danger",
        C.DROPPED: "secondary",
    },
    # "Late" is set by the daily task (and shown for any overdue commitment), never pressed.
    guards={C.LATE: lambda commitment: False},
    refusal=gettext_lazy("A commitment that is “%(current)s” cannot become “%(target)s”."),
)

P = PartnershipStatus
_CHANGE_PARTNERSHIP = "dialogue.change_partnership"

PARTNERSHIP = Workflow(
    name="dialogue.partnership",
    model="dialogue.partnership",
    statuses=PartnershipStatus,
    moves={
        P.FORMING: {P.ACTIVE: _CHANGE_PARTNERSHIP, P.ENDED: _CHANGE_PARTNERSHIP},
        P.ACTIVE: {P.COMPLETED: _CHANGE_PARTNERSHIP, P.ENDED: _CHANGE_PARTNERSHIP},
        P.COMPLETED: {},
        P.ENDED: {},
    },
    labels={
        P.ACTIVE: gettext_lazy("Mark active"),
        P.COMPLETED: gettext_lazy("Mark completed"),
        P.ENDED: gettext_lazy("End the partnership"),
    },
    colours={P.FORMING: "info", P.ACTIVE: "success", P.COMPLETED: "primary", P.ENDED: "secondary"},
    refusal=gettext_lazy("A partnership that is “%(current)s” cannot become “%(target)s”."),
)

K = ConsultationStatus
_MANAGE_CONSULTATION = "dialogue.manage_consultations"

CONSULTATION = Workflow(
    name="dialogue.consultation",
    model="dialogue.consultation",
    statuses=ConsultationStatus,
    moves={
        K.DRAFT: {K.OPEN: _MANAGE_CONSULTATION},
        K.OPEN: {K.CLOSED: _MANAGE_CONSULTATION},
        K.CLOSED: {},
    },
    labels={
        K.OPEN: gettext_lazy("Publish and open for comments"),
        K.CLOSED: gettext_lazy("Close the consultation"),
    },
    colours={K.DRAFT: "light", K.OPEN: "success", K.CLOSED: "secondary"},
    refusal=gettext_lazy("A consultation that is “%(current)s” cannot become “%(target)s”."),
)
