"""The help desk: experts of partner organisations, help requests with their private thread
and files, the target answer times, ratings, and the public knowledge base made (with the
requester's consent) from answered requests."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assistance.choices import OPEN_STATUSES, Category, Language, MentoringStatus, RequestStatus, Urgency
from core.models import TimeStampedModel, private_storage


class Expert(TimeStampedModel):
    """A person who answers requests for a partner organisation of the registry (a lawyer of a
    legal partner, a fundraising mentor), in the categories and languages listed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assistance_expert",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="assistance_experts",
        verbose_name=_("partner organisation"),
    )
    categories = models.JSONField(
        _("categories"), default=list, help_text=_("The categories this expert answers.")
    )
    languages = models.JSONField(
        _("languages"), default=list, help_text=_("The languages this expert answers in.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.user.full_name or self.user.email

    def covers(self, category: str) -> bool:
        return category in (self.categories or [])

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories or [] if c in Category.values]


def attachment_upload(instance, filename: str) -> str:
    return f"assistance/{instance.request_id}/{instance.file_type or 'bin'}-{instance.original_name[:40]}"


class HelpRequest(TimeStampedModel):
    """A question for help: from a member of an organisation (CSO or informal group), or from
    a person with an individual civic initiative (no organisation). Confidential: only the
    requester side, the assigned expert and staff see it."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assistance_requests",
        verbose_name=_("requester"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_requests",
        verbose_name=_("organisation"),
        help_text=_("Empty for an individual civic initiative."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.SQ
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("assigned expert"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    due_on = models.DateField(
        _("answer due"),
        null=True,
        blank=True,
        help_text=_("Set from the target answer time, in working days."),
    )
    answer = models.TextField(_("answer"), blank=True, max_length=20000)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    consent_to_publish = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_("The requester agrees that an anonymised question and answer go to the knowledge base."),
    )
    consent_changed_at = models.DateTimeField(_("consent changed"), null=True, blank=True)
    # The form's one-time key: the same form sent twice (a double click) makes one request.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        # not yet sent first, as PostgreSQL sorts NULL descending (and SQLite, told so)
        ordering = [models.F("submitted_at").desc(nulls_first=True), "-pk"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="assistance_request_status_valid"
            ),
            models.UniqueConstraint(
                fields=["requester", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="assistance_request_submitted_once",
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="assistance_request_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="assistance_request_urgency_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="assistance_request_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.NEW)
                | Q(status=RequestStatus.DECLINED)
                | Q(expert__isnull=False),
                name="assistance_request_assigned_has_expert",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["category", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference or '—'} {self.title}"

    @property
    def is_open(self) -> bool:
        """Still waiting for the answer (the target time runs)."""
        return self.status in OPEN_STATUSES


class TargetTime(models.Model):
    """The target answer time of a category and urgency, in working days (Monday to Friday),
    counted from submission until a request is assigned and from the assignment after."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        ordering = ["category", "urgency"]
        verbose_name = _("target answer time")
        verbose_name_plural = _("target answer times")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="assistance_target_time_unique"),
            models.CheckConstraint(
                condition=Q(working_days__gte=1) & Q(working_days__lte=60),
                name="assistance_target_time_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} / {self.get_urgency_display()}: {self.working_days}"


class Message(models.Model):
    """One message of a request's private thread (the requester side and the expert; staff read)."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    submission_key = models.UUIDField(null=True, blank=True, editable=False)  # see HelpRequest

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="assistance_message_sent_once",
            ),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(models.Model):
    """A file of a request (sent with it or with a message). Private: streamed only to who may
    see the request."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    file_type = models.CharField(_("type"), max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Rating(models.Model):
    """The requester's rating of the help received: once per request, after the answer."""

    request = models.OneToOneField(HelpRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"))
    solved = models.BooleanField(_("the issue was solved"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="assistance_rating_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}"


class KnowledgeEntry(TimeStampedModel):
    """An anonymised question and answer in the three languages, made by staff from an
    answered request whose requester consented. The request itself stays private."""

    source_request = models.OneToOneField(
        HelpRequest,
        on_delete=models.PROTECT,
        related_name="knowledge_entry",
        verbose_name=_("from the request"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    question_sq = models.TextField(_("question (Albanian)"), max_length=5000)
    question_sr = models.TextField(_("question (Serbian)"), max_length=5000)
    question_en = models.TextField(_("question (English)"), max_length=5000)
    answer_sq = models.TextField(_("answer (Albanian)"), max_length=20000)
    answer_sr = models.TextField(_("answer (Serbian)"), max_length=20000)
    answer_en = models.TextField(_("answer (English)"), max_length=20000)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)

    class Meta:
        # not yet published first, as PostgreSQL sorts NULL descending (and SQLite, told so)
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        verbose_name = _("knowledge-base entry")
        verbose_name_plural = _("knowledge-base entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="assistance_knowledge_category_valid"
            ),
        ]
        indexes = [models.Index(fields=["published", "category"])]

    def __str__(self) -> str:
        return self.question_en[:80]

    @staticmethod
    def suffix(language: str | None = None) -> str:
        lang = (language or get_language() or "sq").lower()
        if lang.startswith("sr"):
            return "sr"
        if lang.startswith("en"):
            return "en"
        return "sq"

    @property
    def question(self) -> str:
        return getattr(self, f"question_{self.suffix()}")

    @property
    def answer(self) -> str:
        return getattr(self, f"answer_{self.suffix()}")


class KnowledgeVote(models.Model):
    """One "was this helpful" answer per signed-in person, or per session for visitors."""

    entry = models.ForeignKey(KnowledgeEntry, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "user"],
                condition=Q(user__isnull=False),
                name="assistance_vote_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["entry", "session_key"],
                condition=Q(user__isnull=True) & ~Q(session_key=""),
                name="assistance_vote_once_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""), name="assistance_vote_has_voter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.helpful}"


class MentoringSeries(TimeStampedModel):
    """A mentor (an expert of the help desk) and an organisation agree a plan of sessions on a
    topic, from the day it started. KCSF staff open a series; it is active until completed or
    cancelled (`workflow.MENTORING`). Seen by the mentor, the organisation's members and staff."""

    mentor = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="mentoring_series", verbose_name=_("mentor")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="mentoring_series",
        verbose_name=_("organisation"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    goal = models.TextField(_("goal"), max_length=5000, blank=True)
    started_on = models.DateField(_("started on"))
    status = models.CharField(
        _("status"), max_length=12, choices=MentoringStatus.choices, default=MentoringStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("mentoring series")
        verbose_name_plural = _("mentoring series")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MentoringStatus.values), name="assistance_mentoring_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.organization})"


class MentoringSession(TimeStampedModel):
    """One session of a series' plan (date, topic, goals); once held, the mentor logs the day
    it was held, notes and next steps, which both sides read."""

    series = models.ForeignKey(
        MentoringSeries, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mentoring series")
    )
    planned_on = models.DateField(_("planned date"))
    topic = models.CharField(_("topic"), max_length=200)
    goals = models.TextField(_("goals"), max_length=5000, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=5000, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        indexes = [models.Index(fields=["planned_on", "held_on"])]

    def __str__(self) -> str:
        return f"{self.planned_on} {self.topic}"

    @property
    def is_held(self) -> bool:
        return self.held_on is not None
