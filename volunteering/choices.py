"""The statuses and kinds of volunteering (TextChoices with translated labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    SKILLS = "skills", _("Skills and municipality only")
    FULL = "full", _("Also my name and languages")


class WorkMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")
    BOTH = "both", _("On site or remote")


class Language(models.TextChoices):
    SQ = "sq", _("Albanian")
    SR = "sr", _("Serbian")
    EN = "en", _("English")
    DE = "de", _("German")
    FR = "fr", _("French")
    IT = "it", _("Italian")
    TR = "tr", _("Turkish")


class LanguageLevel(models.IntegerChoices):
    BASIC = 1, _("Basic")
    GOOD = 2, _("Good")
    FLUENT = 3, _("Fluent")
    NATIVE = 4, _("Native")


class Expertise(models.TextChoices):
    LAW = "law", _("Law")
    FINANCE = "finance", _("Finance and accounting")
    IT = "it", _("IT and digital")
    COMMUNICATIONS = "communications", _("Communications")
    FUNDRAISING = "fundraising", _("Fundraising")
    MEDICINE = "medicine", _("Medicine and health")
    ENGINEERING = "engineering", _("Engineering")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class OpportunityKind(models.TextChoices):
    OPPORTUNITY = "opportunity", _("Volunteer opportunity")
    EXPERT_REQUEST = "expert_request", _("Expert request")


class ExpertForm(models.TextChoices):
    ONE_CALL = "one_call", _("One call")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    MENTORING = "mentoring", _("Mentoring series")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ApplicationOrigin(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INVITED = "invited", _("Invited by the organisation")


class ApplicationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class HoursStatus(models.TextChoices):
    LOGGED = "logged", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class FeedbackSide(models.TextChoices):
    EXPERT = "expert", _("Expert")
    ORGANIZATION = "organization", _("Organisation")


class FeedbackOutcome(models.TextChoices):
    SOLVED = "solved", _("The problem was solved")
    PARTLY = "partly", _("Partly solved")
    NOT_SOLVED = "not_solved", _("Not solved")
