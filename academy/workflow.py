"""The academy's moves, as data (`core.workflow`).

Application:
    draft ─submit─▶ submitted ─(reviewers assigned)─▶ under review ─┬▶ selected ─┬▶ confirmed
                        └──────────────(decide)──────────────────────┤            ├▶ declined
                                                                     │            └▶ lapsed (7 days)
                                                                     ├▶ waiting list ─(a place frees)─▶ selected
                                                                     └▶ not selected ◀─(selection closed)─┘
Cohort:
    draft ─▶ open ─▶ selecting ─▶ running ─▶ finished
"""

from django.utils.translation import gettext_lazy

from academy.choices import ApplicationStatus, CohortStatus
from core.workflow import Workflow

S = ApplicationStatus
C = CohortStatus
SELECT = "academy.select_participants"

APPLICATION = Workflow(
    name="academy.application",
    model="academy.cohortapplication",
    statuses=ApplicationStatus,
    moves={
        S.DRAFT: {S.SUBMITTED: "academy.submit_application"},
        S.SUBMITTED: {
            S.UNDER_REVIEW: SELECT,
            S.SELECTED: SELECT,
            S.WAITING_LIST: SELECT,
            S.NOT_SELECTED: SELECT,
        },
        S.UNDER_REVIEW: {S.SELECTED: SELECT, S.WAITING_LIST: SELECT, S.NOT_SELECTED: SELECT},
        S.WAITING_LIST: {S.SELECTED: SELECT, S.NOT_SELECTED: SELECT},
        S.SELECTED: {
            S.CONFIRMED: "academy.respond_to_offer",
            S.DECLINED: "academy.respond_to_offer",
            S.LAPSED: SELECT,
        },
        S.NOT_SELECTED: {},
        S.CONFIRMED: {},
        S.DECLINED: {},
        S.LAPSED: {},
    },
    labels={
        S.SUBMITTED: gettext_lazy("Submit the application"),
        S.UNDER_REVIEW: gettext_lazy("Start the review"),
        S.SELECTED: gettext_lazy("Select"),
        S.WAITING_LIST: gettext_lazy("Put on the waiting list"),
        S.NOT_SELECTED: gettext_lazy("Do not select"),
        S.CONFIRMED: gettext_lazy("Confirm my place"),
        S.DECLINED: gettext_lazy("Decline the place"),
        S.LAPSED: gettext_lazy("Mark as not confirmed"),
    },
    colours={
        S.DRAFT: "light",
        S.SUBMITTED: "info",
        S.UNDER_REVIEW: "info",
        S.SELECTED: "primary",
        S.WAITING_LIST: "warning",
        S.NOT_SELECTED: "secondary",
        S.CONFIRMED: "success",
        S.DECLINED: "secondary",
        S.LAPSED: "secondary",
    },
    refusal=gettext_lazy("An application that is “%(current)s” cannot become “%(target)s”."),
)

COHORT = Workflow(
    name="academy.cohort",
    model="academy.cohort",
    statuses=CohortStatus,
    moves={
        C.DRAFT: {C.OPEN: "academy.manage_cohort"},
        C.OPEN: {C.SELECTING: "academy.manage_cohort"},
        C.SELECTING: {C.RUNNING: "academy.manage_cohort"},
        C.RUNNING: {C.FINISHED: "academy.manage_cohort"},
        C.FINISHED: {},
    },
    labels={
        C.OPEN: gettext_lazy("Open for applications"),
        C.SELECTING: gettext_lazy("Close applications and select"),
        C.RUNNING: gettext_lazy("Start the cohort"),
        C.FINISHED: gettext_lazy("Finish the cohort"),
    },
    colours={
        C.DRAFT: "light",
        C.OPEN: "success",
        C.SELECTING: "info",
        C.RUNNING: "primary",
        C.FINISHED: "secondary",
    },
    refusal=gettext_lazy("A cohort that is “%(current)s” cannot become “%(target)s”."),
)
