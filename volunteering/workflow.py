"""The moves of volunteering's rows, as data (`core.workflow`). Services make every move
through these (one core.StatusChange each); pages draw the buttons of `available_moves`.

    opportunity:  draft ──publish──▶ open ──close──▶ closed ──reopen──▶ open
    application:  invited ──accept invitation──▶ applied ──accept──▶ accepted
                     │                              ├──decline──▶ declined
                     └──────────withdraw────────────┴──withdraw──▶ withdrawn
    engagement:   active ──▶ completed | cancelled
    hours:        logged ──▶ confirmed | disputed ──correct──▶ logged
"""

from django.utils.translation import gettext_lazy

from core.workflow import Workflow
from volunteering.choices import ApplicationStatus, EngagementStatus, HoursStatus, OpportunityStatus

OP, A, E, H = OpportunityStatus, ApplicationStatus, EngagementStatus, HoursStatus

OPPORTUNITY = Workflow(
    name="volunteering.opportunity",
    model="volunteering.opportunity",
    statuses=OpportunityStatus,
    moves={
        OP.DRAFT: {OP.OPEN: "volunteering.edit_opportunity"},
        OP.OPEN: {OP.CLOSED: "volunteering.edit_opportunity"},
        OP.CLOSED: {OP.OPEN: "volunteering.edit_opportunity"},
    },
    labels={OP.OPEN: gettext_lazy("Publish"), OP.CLOSED: gettext_lazy("Close")},
    colours={OP.DRAFT: "light", OP.OPEN: "success", OP.CLOSED: "secondary"},
    refusal=gettext_lazy("An opportunity that is “%(current)s” cannot become “%(target)s”."),
)

APPLICATION = Workflow(
    name="volunteering.application",
    model="volunteering.application",
    statuses=ApplicationStatus,
    moves={
        A.INVITED: {
            A.APPLIED: "volunteering.answer_invitation",
            A.WITHDRAWN: "volunteering.withdraw_application",
        },
        A.APPLIED: {
            A.ACCEPTED: "volunteering.decide_application",
            A.DECLINED: "volunteering.decide_application",
            A.WITHDRAWN: "volunteering.withdraw_application",
        },
        A.ACCEPTED: {},
        A.DECLINED: {},
        A.WITHDRAWN: {},
    },
    labels={
        A.APPLIED: gettext_lazy("Accept the invitation"),
        A.ACCEPTED: gettext_lazy("Accept"),
        A.DECLINED: gettext_lazy("Decline"),
        A.WITHDRAWN: gettext_lazy("Withdraw"),
    },
    colours={
        A.INVITED: "info",
        A.APPLIED: "primary",
        A.ACCEPTED: "success",
        A.DECLINED: "secondary",
        A.WITHDRAWN: "light",
    },
    refusal=gettext_lazy("An application that is “%(current)s” cannot become “%(target)s”."),
)

ENGAGEMENT = Workflow(
    name="volunteering.engagement",
    model="volunteering.engagement",
    statuses=EngagementStatus,
    moves={
        E.ACTIVE: {E.COMPLETED: "volunteering.end_engagement", E.CANCELLED: "volunteering.end_engagement"},
        E.COMPLETED: {},
        E.CANCELLED: {},
    },
    labels={E.COMPLETED: gettext_lazy("Mark as completed"), E.CANCELLED: gettext_lazy("Cancel")},
    colours={E.ACTIVE: "primary", E.COMPLETED: "success", E.CANCELLED: "secondary"},
    refusal=gettext_lazy("An engagement that is “%(current)s” cannot become “%(target)s”."),
)

HOURS = Workflow(
    name="volunteering.hours",
    model="volunteering.hoursentry",
    statuses=HoursStatus,
    moves={
        H.LOGGED: {H.CONFIRMED: "volunteering.confirm_hours", H.DISPUTED: "volunteering.confirm_hours"},
        H.DISPUTED: {H.LOGGED: "volunteering.correct_hours", H.CONFIRMED: "volunteering.confirm_hours"},
        H.CONFIRMED: {},
    },
    labels={
        H.CONFIRMED: gettext_lazy("Confirm"),
        H.DISPUTED: gettext_lazy("Dispute"),
        H.LOGGED: gettext_lazy("Correct"),
    },
    colours={H.LOGGED: "warning", H.CONFIRMED: "success", H.DISPUTED: "danger"},
    # Correcting needs the form; disputing needs a reason: both have their own forms.
    guards={H.LOGGED: lambda entry: False, H.DISPUTED: lambda entry: False},
    refusal=gettext_lazy("Hours that are “%(current)s” cannot become “%(target)s”."),
)
