from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    ROUNDTABLE = "roundtable", _("Roundtable")
    PUBLIC_FORUM = "public_forum", _("Public forum")
    TOWN_HALL = "town_hall", _("Town hall meeting")
    WORKING_GROUP = "working_group", _("Working group")
    CONFERENCE = "conference", _("Conference")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Audience(models.TextChoices):
    """The sectors of society invited to an event (not the topic taxonomy core.Sector)."""

    CSO = "cso", _("Civil society organisations")
    CITIZENS = "citizens", _("Citizens")
    PRIVATE = "private", _("Private sector")
    PUBLIC = "public", _("Public institutions")
    MEDIA = "media", _("Media")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


# A registration that holds (or waits for) a place: one per person per event.
ACTIVE_REGISTRATION = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.ATTENDED)
# A registration that takes one of the sector's places.
HOLDS_PLACE = (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    DROPPED = "dropped", _("Dropped")


# A commitment in one of these is finished: never overdue.
CLOSED_COMMITMENT = (CommitmentStatus.DONE, CommitmentStatus.DROPPED)


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Published")
    REJECTED = "rejected", _("Not published")


class PartnershipStatus(models.TextChoices):
    FORMING = "forming", _("Forming")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended")


class SurveyMoment(models.TextChoices):
    BEFORE = "before", _("Before the event")
    AFTER = "after", _("After the event")


# The trust barometer is shown only with at least this many answers (never per person).
TRUST_MIN_ANSWERS = 5


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")


# A consultation in one of these is seen by everyone (with its comments and answers).
PUBLIC_CONSULTATION = (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)


class AnswerVerdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


# An answer with one of these verdicts must give its reason.
VERDICTS_WITH_REASON = (AnswerVerdict.PARTLY, AnswerVerdict.REJECTED)


class FollowUpKind(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    REPORT = "report", _("Closing report")


class DigestFrequency(models.TextChoices):
    NONE = "none", _("No digest")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (Mondays)")
