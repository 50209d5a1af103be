"""The life of a grant application, of a grant, of its tranches and of its reports, as data
(`core.workflow`): which move is allowed from which status, which permission it needs, the
button of each move and the colour of each status. Services make every move through these
declarations (which write the history); templates draw only the buttons of
`available_moves` and the badges of `{% status_badge %}`.

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

from django.utils.translation import gettext_lazy

from core.workflow import TransitionNotAllowed, Workflow
from grants.choices import ApplicationStatus, GrantReportStatus, GrantStatus, Stage, TrancheStatus

S = ApplicationStatus

APPLICATION = Workflow(
    name="grants.application",
    model="grants.application",
    statuses=ApplicationStatus,
    moves={
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
    },
    # What a person presses to make the move (the button label).
    labels={
        S.SUBMITTED: gettext_lazy("Submit"),
        S.UNDER_REVIEW: gettext_lazy("Eligible: send to review"),
        S.INELIGIBLE: gettext_lazy("Ineligible"),
        S.CHANGES_REQUESTED: gettext_lazy("Ask for more information"),
        S.INVITED: gettext_lazy("Invite to the full proposal"),
        S.APPROVED: gettext_lazy("Approve"),
        S.REJECTED: gettext_lazy("Reject"),
        S.WITHDRAWN: gettext_lazy("Withdraw"),
    },
    colours={
        S.DRAFT: "secondary",
        S.SUBMITTED: "info",
        S.UNDER_REVIEW: "primary",
        S.CHANGES_REQUESTED: "warning",
        S.INVITED: "warning",
        S.INELIGIBLE: "dark",
        S.APPROVED: "success",
        S.REJECTED: "danger",
        S.WITHDRAWN: "light",
    },
    guards={
        # The resubmission's target (submitted or under review) is chosen by the service,
        # so it is offered once, as "submit".
        S.UNDER_REVIEW: lambda application: application.status != S.CHANGES_REQUESTED,
        # A concept note is invited to the full proposal, never approved; a full proposal
        # is approved, never invited.
        S.INVITED: lambda application: application.stage == Stage.CONCEPT,
        S.APPROVED: lambda application: application.stage != Stage.CONCEPT,
    },
    refusal=gettext_lazy("An application that is “%(current)s” cannot become “%(target)s”."),
)

# The names the app used before core.workflow (kept: they read well at the call sites).
TRANSITIONS = APPLICATION.moves
ACTION_LABELS = APPLICATION.labels
check_transition = APPLICATION.check
available_transitions = APPLICATION.available_moves

__all__ = ["APPLICATION", "GRANT", "GRANT_REPORT", "TRANCHE", "TransitionNotAllowed"]


# --- after the award (the moves of grants/services/awards.py) -------------------------------
#
#   grant:   awarded ──agreement uploaded──▶ active ──everything accepted and paid──▶ closed
#               └───────────── terminate (a reason) ──┴──────────────────────────────▶ terminated
#   tranche: planned ──release──▶ released ──mark paid──▶ paid
#   report:  due ──submit──▶ submitted ──accept──▶ accepted
#                 returned ◀──return──┘ (and returned ──submit──▶ submitted)
#
# The services refuse with their own, more precise messages before they move (e.g. "only a
# planned tranche can be released"); these tables are the rule they follow.

G, T, R = GrantStatus, TrancheStatus, GrantReportStatus

GRANT = Workflow(
    name="grants.grant",
    model="grants.grant",
    statuses=GrantStatus,
    moves={
        G.AWARDED: {G.ACTIVE: "grants.manage_grant", G.TERMINATED: "grants.manage_grant"},
        G.ACTIVE: {G.CLOSED: "grants.manage_grant", G.TERMINATED: "grants.manage_grant"},
        G.CLOSED: {},
        G.TERMINATED: {},
    },
    labels={
        G.ACTIVE: gettext_lazy("Register the signed agreement"),
        G.CLOSED: gettext_lazy("Close the grant"),
        G.TERMINATED: gettext_lazy("Terminate the grant"),
    },
    colours={G.AWARDED: "warning", G.ACTIVE: "primary", G.CLOSED: "success", G.TERMINATED: "dark"},
    refusal=gettext_lazy("A grant that is “%(current)s” cannot become “%(target)s”."),
)

TRANCHE = Workflow(
    name="grants.tranche",
    model="grants.tranche",
    statuses=TrancheStatus,
    moves={
        T.PLANNED: {T.RELEASED: "grants.manage_grant"},
        T.RELEASED: {T.PAID: "grants.manage_grant"},
        T.PAID: {},
    },
    labels={T.RELEASED: gettext_lazy("Release"), T.PAID: gettext_lazy("Mark as paid")},
    colours={T.PLANNED: "secondary", T.RELEASED: "primary", T.PAID: "success"},
    permission_object=lambda tranche: tranche.grant,
    refusal=gettext_lazy("A tranche that is “%(current)s” cannot become “%(target)s”."),
)

GRANT_REPORT = Workflow(
    name="grants.grant_report",
    model="grants.grantreport",
    statuses=GrantReportStatus,
    moves={
        R.DUE: {R.SUBMITTED: "grants.submit_grant_report"},
        R.RETURNED: {R.SUBMITTED: "grants.submit_grant_report"},
        R.SUBMITTED: {R.ACCEPTED: "grants.manage_grant", R.RETURNED: "grants.manage_grant"},
        R.ACCEPTED: {},
    },
    labels={
        R.SUBMITTED: gettext_lazy("Send the report"),
        R.ACCEPTED: gettext_lazy("Accept"),
        R.RETURNED: gettext_lazy("Return for changes"),
    },
    colours={R.DUE: "secondary", R.SUBMITTED: "info", R.RETURNED: "warning", R.ACCEPTED: "success"},
    permission_object=lambda report: report.grant,
    refusal=gettext_lazy("A report that is “%(current)s” cannot become “%(target)s”."),
)
