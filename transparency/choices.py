from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for checking")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded by a correction")


OPEN_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED)


class FormSize(models.TextChoices):
    SHORT = "short", _("Short form (small organisation)")
    FULL = "full", _("Full form")


class DocumentKind(models.TextChoices):
    STATUTE = "statute", _("Statute")
    FINANCIAL_STATEMENT = "financial_statement", _("Annual financial statement")
    AUDIT_REPORT = "audit_report", _("Audit report")
    ACTIVITY_REPORT = "activity_report", _("Narrative report")
    OTHER = "other", _("Other document")


class BadgeLevel(models.TextChoices):
    NONE = "none", _("No badge")
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")


BADGE_ORDER = [BadgeLevel.NONE, BadgeLevel.BRONZE, BadgeLevel.SILVER, BadgeLevel.GOLD]


class FundingProcedure(models.TextChoices):
    OPEN_CALL = "open_call", _("Open public call")
    DIRECT_AWARD = "direct_award", _("Direct award")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the institution")
    MONITORING = "monitoring", _("Found by monitoring")


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    LATE = "late", _("Late")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")
