"""The statuses and kinds of the academy."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for applications")
    SELECTING = "selecting", _("Selection")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected — confirm your place")
    WAITING_LIST = "waiting_list", _("On the waiting list")
    NOT_SELECTED = "not_selected", _("Not selected")
    CONFIRMED = "confirmed", _("Participant")
    DECLINED = "declined", _("Place declined")
    LAPSED = "lapsed", _("Place not confirmed in time")


IN_SELECTION = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)
DECIDED = (
    ApplicationStatus.SELECTED,
    ApplicationStatus.WAITING_LIST,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.LAPSED,
)
# The applications that hold (or held and kept) a place of the cohort.
HOLDS_PLACE = (ApplicationStatus.SELECTED, ApplicationStatus.CONFIRMED)


class NoteKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PROGRESS = "progress", _("Progress note")


class Gender(models.TextChoices):
    """As the applicant states it (optional: blank is "not recorded")."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")
