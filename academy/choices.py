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


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------


class TrainingTopic(models.TextChoices):
    CONSTITUENCY = "constituency", _("Constituency engagement")
    MAPPING = "mapping", _("Community mapping")
    FUNDRAISING = "fundraising", _("Fundraising")
    TRANSPARENCY = "transparency", _("Transparency reporting")
    OTHER = "other", _("Other")


class AssessmentKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOW_UP = "follow_up", _("Follow-up")


class StakeholderKind(models.TextChoices):
    INSTITUTION = "institution", _("Institution")
    BUSINESS = "business", _("Business")
    GROUP = "group", _("Group")
    MEDIA = "media", _("Media")
    CSO = "cso", _("Other CSO")


class StakeholderRelation(models.TextChoices):
    ALLY = "ally", _("Ally")
    NEUTRAL = "neutral", _("Neutral")
    OPPONENT = "opponent", _("Opponent")
    UNKNOWN = "unknown", _("Unknown")


# The fixed questions of the feedback form after a training (each answered 1–5).
FEEDBACK_QUESTIONS = (
    ("content", _("The content was useful for our organisation")),
    ("facilitation", _("The facilitation was clear and engaging")),
    ("apply", _("We will apply what we learned")),
)


class Gender(models.TextChoices):
    """As the applicant states it (optional: blank is "not recorded")."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")
