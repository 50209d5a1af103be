"""The kinds and statuses of the help desk."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    LEGAL = "legal", _("Legal advice")
    REGISTRATION = "registration", _("Registration and compliance")
    FUNDRAISING = "fundraising", _("Fundraising mentoring")
    FINANCE = "finance", _("Financial management")
    COMMUNICATIONS = "communications", _("Communications")
    TECHNICAL = "technical", _("Technical assistance")


class Urgency(models.TextChoices):
    LOW = "low", _("Not urgent")
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")


class Language(models.TextChoices):
    SQ = "sq", _("Albanian")
    SR = "sr-latn", _("Serbian")
    EN = "en", _("English")


# Statuses in which the request still waits for an answer (the target time runs).
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
# Statuses in which the thread is open for messages.
THREAD_OPEN_STATUSES = (*OPEN_STATUSES, RequestStatus.ANSWERED)
# Statuses after the answer: rating and consent to publish are possible.
ANSWERED_STATUSES = (RequestStatus.ANSWERED, RequestStatus.CLOSED)


class MentoringStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
