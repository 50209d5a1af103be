"""Choices of the grants app: who applies, the application's statuses (internal and
public labels), questions, budget categories, reviews, grants, tranches and reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.review import ReviewStatus


class ApplicantType(models.TextChoices):
    ORGANIZATION = "organization", _("Registered CSO")
    GROUP = "group", _("Informal group (community initiative)")
    INDIVIDUAL = "individual", _("Individual")


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept note")
    FULL = "full", _("Full proposal")


class ApplicationStatus(models.TextChoices):
    """Internal statuses (what staff see). Applicants see `PUBLIC_LABELS`."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting screening")
    UNDER_REVIEW = "under_review", _("Eligible, under review")
    CHANGES_REQUESTED = "changes_requested", _("More information requested")
    INVITED = "invited", _("Invited to the full proposal")
    INELIGIBLE = "ineligible", _("Ineligible")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationStatus

# What the applicant (and the applicant's organisation) sees.
PUBLIC_LABELS = {
    S.DRAFT: _("Draft — not submitted"),
    S.SUBMITTED: _("Received"),
    S.UNDER_REVIEW: _("In assessment"),
    S.CHANGES_REQUESTED: _("Action needed: more information requested"),
    S.INVITED: _("Invited to submit a full proposal"),
    S.INELIGIBLE: _("Not eligible"),
    S.APPROVED: _("Awarded"),
    S.REJECTED: _("Not successful"),
    S.WITHDRAWN: _("Withdrawn"),
}

# The applicant may change the answers, budget, plan and attachments.
EDITABLE_STATUSES = (S.DRAFT, S.CHANGES_REQUESTED, S.INVITED)
# Submitted and waiting for KCSF: counted in the ranking table.
IN_ASSESSMENT_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW)
# The applicant may still withdraw.
WITHDRAWABLE_STATUSES = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.CHANGES_REQUESTED, S.INVITED)
FINAL_STATUSES = (S.INELIGIBLE, S.APPROVED, S.REJECTED, S.WITHDRAWN)


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    FILE = "file", _("File")
    DATE = "date", _("Date")


class BudgetCategory(models.TextChoices):
    STAFF = "staff", _("Staff and fees")
    TRAVEL = "travel", _("Travel and transport")
    EQUIPMENT = "equipment", _("Equipment and supplies")
    EVENTS = "events", _("Events and activities")
    COMMUNICATION = "communication", _("Communication and publications")
    SERVICES = "services", _("Services and subcontracts")
    OTHER = "other", _("Other costs")


class Recommendation(models.TextChoices):
    FUND = "fund", _("Fund")
    FUND_WITH_CHANGES = "fund_with_changes", _("Fund with changes")
    DO_NOT_FUND = "do_not_fund", _("Do not fund")


# A review assignment's statuses are the kernel's (assigned → accepted | conflicted → submitted).
AssignmentStatus = ReviewStatus


class GrantStatus(models.TextChoices):
    AWARDED = "awarded", _("Awarded — agreement pending")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Terminated")


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RELEASED = "released", _("Released for payment")
    PAID = "paid", _("Paid")


class ReportPeriod(models.TextChoices):
    INTERIM = "interim", _("Interim")
    FINAL = "final", _("Final")


class ReportKind(models.TextChoices):
    NARRATIVE = "narrative", _("Narrative report")
    FINANCIAL = "financial", _("Financial report")


class GrantReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ReminderKind(models.TextChoices):
    CALL_CLOSING = "grants.call_closing", _("Call closes in 3 days")
    REPORT_DUE = "grants.report_due", _("Report due in 7 days")
    REPORT_OVERDUE = "grants.report_overdue", _("Report overdue")
    REVIEW_DUE = "grants.review_due", _("Review due in 3 days")
