"""Cross-sector dialogue: events with the sectors invited and their places, the agenda,
registrations (with a waiting list per sector and a check-in code), and the commitments
that come out of an event, with moderated comments."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel, private_storage
from dialogue.choices import (
    ACTIVE_REGISTRATION,
    CLOSED_COMMITMENT,
    VERDICTS_WITH_REASON,
    AnswerVerdict,
    Audience,
    CommentStatus,
    CommitmentStatus,
    ConsultationStatus,
    DigestFrequency,
    EventKind,
    EventStatus,
    FollowUpKind,
    PartnershipStatus,
    RegistrationStatus,
    SurveyMoment,
)


def _in_language(obj, field: str) -> str:
    lang = (get_language() or "sq").lower()
    sq = getattr(obj, f"{field}_sq")
    if lang.startswith("sr"):
        return getattr(obj, f"{field}_sr") or sq
    if lang.startswith("en"):
        return getattr(obj, f"{field}_en") or sq
    return sq


def _choices_check(name: str, field: str, choices) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=name,
        violation_error_message=_("Choose a value from the list."),
    )


class Event(TimeStampedModel):
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sq = models.TextField(_("description (Albanian)"), max_length=10000)
    description_sr = models.TextField(_("description (Serbian)"), max_length=10000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=10000, blank=True)
    topic = models.ForeignKey(
        "core.Sector", on_delete=models.PROTECT, related_name="+", verbose_name=_("topic")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogue_events",
        verbose_name=_("organiser"),
        help_text=_("Empty: organised by KCSF."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("dialogue event")
        verbose_name_plural = _("dialogue events")
        constraints = [
            _choices_check("dialogue_event_kind_valid", "kind", EventKind),
            _choices_check("dialogue_event_status_valid", "status", EventStatus),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="dialogue_event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="dialogue_event_registration_window",
                violation_error_message=_("Registration must close after it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""),
                name="dialogue_event_has_place",
                violation_error_message=_("Give the place or an online link."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def description(self) -> str:
        return _in_language(self, "description")

    def get_absolute_url(self) -> str:
        return reverse("dialogue:event_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == EventStatus.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
            and now < self.ends_at
        )


class EventSector(models.Model):
    """A sector invited to an event and its places; the row that registrations lock."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("event")
    )
    audience = models.CharField(_("sector"), max_length=10, choices=Audience.choices)
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["event", "audience"]
        verbose_name = _("invited sector")
        verbose_name_plural = _("invited sectors")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "audience"],
                name="dialogue_event_sector_once",
                violation_error_message=_("Each sector is invited once."),
            ),
            _choices_check("dialogue_event_sector_audience_valid", "audience", Audience),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="dialogue_event_sector_places_positive",
                violation_error_message=_("Each invited sector needs at least one place."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_audience_display())


class AgendaItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("event"))
    starts_at = models.TimeField(_("time"))
    title = models.CharField(_("title"), max_length=200)
    speakers = models.CharField(_("speakers"), max_length=300, blank=True)

    class Meta:
        ordering = ["event", "starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


def new_registration_code() -> str:
    # Unambiguous letters and digits (no 0/O, 1/I/L), read aloud or typed at the door.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    sector = models.ForeignKey(
        EventSector, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("sector")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dialogue_registrations",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organization_name = models.CharField(_("organisation (typed)"), max_length=200, blank=True)
    code = models.CharField(
        _("code"), max_length=16, unique=True, default=new_registration_code, editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    waiting_position = models.PositiveIntegerField(_("waiting list position"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            _choices_check("dialogue_registration_status_valid", "status", RegistrationStatus),
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False, status__in=ACTIVE_REGISTRATION),
                name="dialogue_registration_once_per_user",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=ACTIVE_REGISTRATION),
                name="dialogue_registration_once_per_email",
                violation_error_message=_("This email address is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.WAITING, waiting_position__isnull=False)
                | (~Q(status=RegistrationStatus.WAITING) & Q(waiting_position__isnull=True)),
                name="dialogue_registration_waiting_position",
                violation_error_message=_(
                    "Only a registration on the waiting list has a waiting list position."
                ),
            ),
        ]
        indexes = [models.Index(fields=["sector", "status", "waiting_position"])]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def organization_label(self) -> str:
        return self.organization.name if self.organization_id else self.organization_name


class Commitment(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="dialogue_commitments",
        verbose_name=_("committed organisation"),
    )
    what = models.TextField(_("commitment"), max_length=3000)
    due_date = models.DateField(_("by when"))
    indicator = models.CharField(_("indicator"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.PLANNED
    )
    progress_note = models.TextField(_("progress"), max_length=3000, blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    # The id of a transparency.StrategyMeasure (checked through transparency.selectors when
    # set): no foreign key, so that dialogue works without transparency installed.
    strategy_measure_id = models.PositiveIntegerField(
        _("Strategy measure"), null=True, blank=True, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [_choices_check("dialogue_commitment_status_valid", "status", CommitmentStatus)]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self) -> str:
        return self.what[:80]

    def get_absolute_url(self) -> str:
        return reverse("dialogue:commitment_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        """Past its date and neither done nor dropped: shown as late (whether or not the
        daily task has moved it to "late" yet)."""
        return self.status not in CLOSED_COMMITMENT and self.due_date < timezone.localdate()


class CommitmentComment(TimeStampedModel):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="comments", verbose_name=_("commitment")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a commitment")
        verbose_name_plural = _("comments on commitments")
        constraints = [_choices_check("dialogue_comment_status_valid", "status", CommentStatus)]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.body[:80]


class Partnership(TimeStampedModel):
    """A cross-sector partnership born from dialogue: organisations of the registry of at
    least two different kinds (checked by the service), with its goal, outputs and the
    events and commitments it came from."""

    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"), max_length=3000)
    started_on = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=12, choices=PartnershipStatus.choices, default=PartnershipStatus.FORMING
    )
    outputs = models.TextField(_("outputs"), max_length=5000, blank=True)
    members = models.ManyToManyField(
        "organizations.Organization", related_name="dialogue_partnerships", verbose_name=_("members")
    )
    events = models.ManyToManyField(
        Event, blank=True, related_name="partnerships", verbose_name=_("linked events")
    )
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="partnerships", verbose_name=_("linked commitments")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [_choices_check("dialogue_partnership_status_valid", "status", PartnershipStatus)]
        indexes = [models.Index(fields=["status", "started_on"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dialogue:partnership_detail", kwargs={"pk": self.pk})


TRUST_FIELDS = {
    Audience.CSO: "trust_cso",
    Audience.CITIZENS: "trust_citizens",
    Audience.PRIVATE: "trust_private",
    Audience.PUBLIC: "trust_public",
    Audience.MEDIA: "trust_media",
}


def _score(label):
    return models.PositiveSmallIntegerField(label)


class TrustAnswer(TimeStampedModel):
    """One registrant's answers to the trust survey, before or after an event: how much they
    trust each sector, 1 (not at all) to 5 (fully). Once per registration and moment. Shown
    only in aggregate (selectors.trust_barometer), never per person."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="trust_answers", verbose_name=_("event")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="trust_answers", verbose_name=_("registration")
    )
    moment = models.CharField(_("when"), max_length=8, choices=SurveyMoment.choices)
    trust_cso = _score(_("trust in civil society organisations"))
    trust_citizens = _score(_("trust in citizens"))
    trust_private = _score(_("trust in the private sector"))
    trust_public = _score(_("trust in public institutions"))
    trust_media = _score(_("trust in the media"))

    class Meta:
        ordering = ["event", "moment", "pk"]
        verbose_name = _("trust survey answer")
        verbose_name_plural = _("trust survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "moment"],
                name="dialogue_trust_answer_once",
                violation_error_message=_(
                    "This registration has already answered the survey at this moment."
                ),
            ),
            _choices_check("dialogue_trust_answer_moment_valid", "moment", SurveyMoment),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"dialogue_trust_answer_{name}_1_5",
                    violation_error_message=_("Answer with a score from 1 to 5."),
                )
                for name in TRUST_FIELDS.values()
            ],
        ]
        indexes = [models.Index(fields=["event", "moment"])]

    def __str__(self) -> str:
        return f"{self.event} — {self.get_moment_display()}"


class Consultation(TimeStampedModel):
    """A public consultation on a document (a draft strategy, a municipal plan) split into
    ordered sections: signed-in people comment per section while it is open and support
    others' comments; the organiser answers every comment. Draft → open → closed
    (core.workflow, dialogue.workflow.CONSULTATION)."""

    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    introduction_sq = models.TextField(_("introduction (Albanian)"), max_length=10000)
    introduction_sr = models.TextField(_("introduction (Serbian)"), max_length=10000, blank=True)
    introduction_en = models.TextField(_("introduction (English)"), max_length=10000, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogue_consultations",
        verbose_name=_("organiser"),
        help_text=_("Empty: organised by KCSF."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        constraints = [
            _choices_check("dialogue_consultation_status_valid", "status", ConsultationStatus),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="dialogue_consultation_closes_after_open",
                violation_error_message=_("The consultation must close after it opens."),
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def introduction(self) -> str:
        return _in_language(self, "introduction")

    def get_absolute_url(self) -> str:
        return reverse("dialogue:consultation_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.status in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)

    def accepting_comments(self, now=None) -> bool:
        """Open, and between its open and close date-times."""
        now = now or timezone.now()
        return self.status == ConsultationStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def has_ended(self) -> bool:
        return self.status == ConsultationStatus.CLOSED or (
            self.status == ConsultationStatus.OPEN and self.closes_at <= timezone.now()
        )


class ConsultationSection(models.Model):
    """One part of the consulted document, in order (`position`), with its heading and text."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("consultation")
    )
    position = models.PositiveIntegerField(_("position"))
    heading_sq = models.CharField(_("heading (Albanian)"), max_length=200)
    heading_sr = models.CharField(_("heading (Serbian)"), max_length=200, blank=True)
    heading_en = models.CharField(_("heading (English)"), max_length=200, blank=True)
    body_sq = models.TextField(_("text (Albanian)"), max_length=20000)
    body_sr = models.TextField(_("text (Serbian)"), max_length=20000, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=20000, blank=True)

    class Meta:
        ordering = ["consultation", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "position"],
                name="dialogue_consultation_section_position_once",
                violation_error_message=_("Another section has this position."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.heading}"

    @property
    def heading(self) -> str:
        return _in_language(self, "heading")

    @property
    def body(self) -> str:
        return _in_language(self, "body")


class ConsultationComment(TimeStampedModel):
    """A comment on one section, and the organiser's answer to it (verdict + reason; an
    answer given again is an edit of this one)."""

    section = models.ForeignKey(
        ConsultationSection, on_delete=models.CASCADE, related_name="comments", verbose_name=_("section")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=3000)
    verdict = models.CharField(_("answer"), max_length=10, choices=AnswerVerdict.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=3000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["section", "created_at", "pk"]
        verbose_name = _("comment on a consultation")
        verbose_name_plural = _("comments on consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict="") | Q(verdict__in=AnswerVerdict.values),
                name="dialogue_consultation_comment_verdict_valid",
                violation_error_message=_("Choose a value from the list."),
            ),
            models.CheckConstraint(
                condition=~Q(verdict__in=VERDICTS_WITH_REASON) | ~Q(reason=""),
                name="dialogue_consultation_comment_reason_given",
                violation_error_message=_("Required when the comment is rejected or partly accepted."),
            ),
        ]
        indexes = [
            models.Index(fields=["verdict", "created_at"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def is_answered(self) -> bool:
        return bool(self.verdict)


class CommentSupport(models.Model):
    """One person's support of a comment: once each (the unique constraint)."""

    comment = models.ForeignKey(
        ConsultationComment, on_delete=models.CASCADE, related_name="supports", verbose_name=_("comment")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["comment", "created_at", "pk"]
        verbose_name = _("support of a comment")
        verbose_name_plural = _("supports of comments")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                name="dialogue_comment_support_once",
                violation_error_message=_("You already support this comment."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.comment_id}"


class EventFollowUp(TimeStampedModel):
    """What the organiser adds after an event has ended: minutes or a closing report (text in
    one or more languages), documents and photos. Shown on the event's page once published;
    publishing emails the people who held a place, once (`notified_at`)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("event")
    )
    kind = models.CharField(
        _("type"), max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.MINUTES
    )
    body_sq = models.TextField(_("text (Albanian)"), max_length=20000, blank=True)
    body_sr = models.TextField(_("text (Serbian)"), max_length=20000, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=20000, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    notified_at = models.DateTimeField(_("registrants emailed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("after-event follow-up")
        verbose_name_plural = _("after-event follow-ups")
        constraints = [_choices_check("dialogue_follow_up_kind_valid", "kind", FollowUpKind)]
        indexes = [models.Index(fields=["published_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event}"

    @property
    def body(self) -> str:
        """The text in the page's language, else in another language given (sq, en, sr)."""
        own = _in_language(self, "body")
        return own or self.body_sq or self.body_en or self.body_sr

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def _follow_up_upload(instance, filename: str) -> str:
    return f"dialogue/follow-ups/{timezone.now():%Y}/{filename}"


class FollowUpDocument(TimeStampedModel):
    """A document of a follow-up (PDF, DOCX, XLSX, ODT). Stored privately; served by the
    portal once the follow-up is published (to its organiser before)."""

    follow_up = models.ForeignKey(
        EventFollowUp, on_delete=models.CASCADE, related_name="documents", verbose_name=_("follow-up")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to=_follow_up_upload, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["follow_up", "pk"]
        verbose_name = _("follow-up document")
        verbose_name_plural = _("follow-up documents")

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def label(self) -> str:
        return self.title or self.original_name

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if self.file.name else ""


class FollowUpPhoto(TimeStampedModel):
    """A photo of the event (JPEG or PNG) with its caption; stored and served like documents."""

    follow_up = models.ForeignKey(
        EventFollowUp, on_delete=models.CASCADE, related_name="photos", verbose_name=_("follow-up")
    )
    file = models.FileField(_("photo"), storage=private_storage, upload_to=_follow_up_upload, max_length=200)
    caption = models.CharField(_("caption"), max_length=300)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["follow_up", "pk"]
        verbose_name = _("follow-up photo")
        verbose_name_plural = _("follow-up photos")

    def __str__(self) -> str:
        return self.caption

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if self.file.name else ""


class Follow(models.Model):
    """A person follows something of dialogue: `kind` is a key of the registry
    `dialogue.services.follows` (event, partnership, organisation, ...) and `object_id` the
    followed row's id (no foreign key: a deleted object leaves a follow the digest skips)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dialogue_follows",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object"))
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-created_at", "pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id"],
                name="dialogue_follow_once",
                violation_error_message=_("You already follow this."),
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.kind} #{self.object_id}"


class DigestSubscription(models.Model):
    """How often a person gets the digest of what changed in what they follow, and when the
    last one went (the next lists the changes since)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dialogue_digest",
        verbose_name=_("person"),
    )
    frequency = models.CharField(
        _("digest"), max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    since = models.DateTimeField(_("changes counted from"), default=timezone.now)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [_choices_check("dialogue_digest_frequency_valid", "frequency", DigestFrequency)]
        indexes = [models.Index(fields=["frequency"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"
