"""The life of a yearly transparency report, as data (`core.workflow`): which move is
allowed from which status, which permission it needs, its button and the colour of each
status. Services make every move through `REPORT` (which writes the history); templates
draw only the buttons of `available_moves` and the badges of `{% status_badge %}`.

    draft ──submit──▶ submitted ──publish──▶ published ──(a correction is published)──▶ superseded
                        │    ▲
                 return │    │ submit
                        ▼    │
                       returned
"""

from django.utils.translation import gettext_lazy

from core.workflow import TransitionNotAllowed, Workflow
from transparency.choices import ReportStatus

S = ReportStatus

REPORT = Workflow(
    name="transparency.report",
    model="transparency.transparencyreport",
    statuses=ReportStatus,
    moves={
        S.DRAFT: {S.SUBMITTED: "transparency.submit_report"},
        S.RETURNED: {S.SUBMITTED: "transparency.submit_report"},
        S.SUBMITTED: {
            S.RETURNED: "transparency.review_report",
            S.PUBLISHED: "transparency.publish_report",
        },
        # Done by report_publish when a correction of the same year is published.
        S.PUBLISHED: {S.SUPERSEDED: "transparency.publish_report"},
        S.SUPERSEDED: {},
    },
    # What a person presses to make the move (the button label).
    labels={
        S.SUBMITTED: gettext_lazy("Submit for checking"),
        S.RETURNED: gettext_lazy("Return with comments"),
        S.PUBLISHED: gettext_lazy("Accept and publish"),
        S.SUPERSEDED: gettext_lazy("Supersede"),
    },
    colours={
        S.DRAFT: "light",
        S.SUBMITTED: "info",
        S.RETURNED: "warning",
        S.PUBLISHED: "success",
        S.SUPERSEDED: "secondary",
    },
    # Never pressed: a report is superseded by publishing its correction.
    guards={S.SUPERSEDED: lambda report: False},
    refusal=gettext_lazy("A report that is “%(current)s” cannot become “%(target)s”."),
)

# The names the app used before core.workflow.
TRANSITIONS = REPORT.moves
ACTION_LABELS = REPORT.labels
check_transition = REPORT.check
available_transitions = REPORT.available_moves

# Statuses in which the organisation may still change its report.
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)

__all__ = ["EDITABLE_STATUSES", "REPORT", "TransitionNotAllowed"]
