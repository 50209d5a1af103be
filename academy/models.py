"""The Community Leadership Academy: cohorts (with their curriculum, facilitators, mentors and
rubric), applications and their reviews (the kernel's weighted rubric, core.review),
sessions, attendance, mentor notes and community action projects.

Invariants live here as constraints; every state change is a service in `academy.services`
that follows `academy.workflow`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from academy.choices import (
    ApplicationStatus,
    AssessmentKind,
    CohortStatus,
    Gender,
    NoteKind,
    StakeholderKind,
    StakeholderRelation,
    TrainingTopic,
)
from core.models import Municipality, TimeStampedModel, private_storage
from core.review import ReviewRecord, RubricCriterion, RubricScore

USER = settings.AUTH_USER_MODEL


def translated(obj, base: str) -> str:
    """`obj.<base>_sq|_sr|_en` in the active language, falling back to Albanian, then English."""
    lang = (get_language() or "sq").lower()
    suffix = "sr" if lang.startswith("sr") else "en" if lang.startswith("en") else "sq"
    return getattr(obj, f"{base}_{suffix}") or getattr(obj, f"{base}_sq") or getattr(obj, f"{base}_en") or ""


# --- cohorts ----------------------------------------------------------------------------------


class Cohort(TimeStampedModel):
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sq = models.TextField(_("description (Albanian)"), blank=True)
    description_sr = models.TextField(_("description (Serbian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities"), related_name="academy_cohorts"
    )
    places = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=16)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=29)
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CohortStatus.choices, default=CohortStatus.DRAFT
    )
    facilitators = models.ManyToManyField(
        USER, verbose_name=_("facilitators"), related_name="academy_facilitated_cohorts", blank=True
    )
    mentors = models.ManyToManyField(
        USER, verbose_name=_("mentors"), related_name="academy_mentored_cohorts", blank=True
    )
    last_reference = models.PositiveIntegerField(default=0, editable=False)
    # The completion rule, kept as data: who meets it gets the certificate (academy.services.completion).
    completion_min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance for completion (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
    )
    completion_requires_project = models.BooleanField(
        _("completion requires a finished community project"), default=True
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="academy_cohort_places_positive"),
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="academy_cohort_age_range"),
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=F("applications_open_at")),
                name="academy_cohort_window",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CohortStatus.values), name="academy_cohort_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(completion_min_attendance__lte=100), name="academy_cohort_completion_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    title = property(lambda self: translated(self, "title"))
    description = property(lambda self: translated(self, "description"))

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status == CohortStatus.OPEN and self.applications_open_at <= now < self.applications_close_at
        )


class CohortCriterion(RubricCriterion):
    """One criterion of the cohort's selection rubric (weight and maximum score: core.review)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_sq = models.CharField(_("criterion (Albanian)"), max_length=200)
    title_sr = models.CharField(_("criterion (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    guidance_sq = models.TextField(_("guidance (Albanian)"), blank=True)
    guidance_sr = models.TextField(_("guidance (Serbian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="academy_criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(max_score__gte=1), name="academy_criterion_max_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    title = property(lambda self: translated(self, "title"))
    guidance = property(lambda self: translated(self, "guidance"))


class Module(models.Model):
    """A part of the cohort's curriculum."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sq = models.TextField(_("description (Albanian)"), blank=True)
    description_sr = models.TextField(_("description (Serbian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["cohort", "order", "pk"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title

    title = property(lambda self: translated(self, "title"))
    description = property(lambda self: translated(self, "description"))


class Session(models.Model):
    """One meeting of a module: in a place or online, led by a facilitator."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="sessions")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions", editable=False)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    facilitator = models.ForeignKey(
        USER,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="academy_sessions",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="academy_session_ends_after")
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The cohort is the module's, always (kept on the row for the participants' queries).
        self.cohort_id = self.module.cohort_id
        super().save(*args, **kwargs)

    def is_running(self, now=None) -> bool:
        """Attendance is taken on the day of the session (Europe/Belgrade), until it ends."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return timezone.localdate(self.starts_at) == today and now <= self.ends_at


def material_upload(instance, filename: str) -> str:
    return f"academy/materials/{instance.session.cohort_id}/{instance.session_id}/{filename[-100:]}"


class SessionMaterial(models.Model):
    """A file or a link of a session, added by its facilitator or staff. Private: streamed only
    to the cohort's participants, facilitators, mentors and staff."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=material_upload, storage=private_storage, blank=True, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    file_type = models.CharField(_("type"), max_length=8, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("session material")
        verbose_name_plural = _("session materials")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="academy_material_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title


# --- applications -----------------------------------------------------------------------------


class CohortApplication(TimeStampedModel):
    """A young person's application to a cohort; once confirmed, they are a participant."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="academy_applications")
    reference = models.CharField(_("reference number"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    date_of_birth = models.DateField(_("date of birth"))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    # Optional, for the programme's figures only (blank: not recorded).
    gender = models.CharField(
        _("gender"),
        max_length=12,
        choices=Gender.choices,
        blank=True,
        help_text=_("Optional. Used only for the programme's figures, never shown with your name."),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    community_issue = models.TextField(_("the community issue you care about"), blank=True)
    availability = models.TextField(_("availability"), blank=True)
    reference_name = models.CharField(_("reference person"), max_length=150, blank=True)
    reference_contact = models.CharField(_("reference person's phone or email"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    average_score = models.DecimalField(
        _("average weighted score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    reviews_done = models.PositiveSmallIntegerField(default=0)
    waiting_rank = models.PositiveSmallIntegerField(_("place on the waiting list"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    offer_expires_at = models.DateTimeField(_("confirm the place by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    mentor = models.ForeignKey(
        USER,
        verbose_name=_("mentor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="academy_mentees",
    )
    # The public alumni directory: a participant who completed may opt in (and out).
    alumni_listed = models.BooleanField(_("listed in the alumni directory"), default=False)
    alumni_listed_at = models.DateTimeField(_("listed since"), null=True, blank=True)

    class Meta:
        ordering = ["cohort", "pk"]
        verbose_name = _("academy application")
        verbose_name_plural = _("academy applications")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "applicant"], name="academy_one_application_per_cohort"
            ),
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="academy_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="academy_application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT) | ~Q(reference=""),
                name="academy_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(gender="") | Q(gender__in=Gender.values), name="academy_application_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(alumni_listed=False) | Q(status=ApplicationStatus.CONFIRMED),
                name="academy_alumni_are_participants",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["alumni_listed", "cohort"], name="academy_alumni_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.cohort} — {self.applicant}"

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ApplicationReview(TimeStampedModel, ReviewRecord):
    """A reviewer (staff or partner) assigned to an application, with their review (status,
    conflict of interest, comment and weighted score: core.review)."""

    application = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="academy_reviews")
    assigned_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("application review")
        verbose_name_plural = _("application reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="academy_review_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & Q(weighted_score__isnull=False)),
                name="academy_review_submitted_has_score",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"


class ApplicationScore(RubricScore):
    assignment = models.ForeignKey(ApplicationReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CohortCriterion, on_delete=models.PROTECT, related_name="scores")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="academy_score_one_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- running a cohort -------------------------------------------------------------------------


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)
    marked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(_("marked"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="academy_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.participant}"


class MentorNote(TimeStampedModel):
    """A mentor's meeting log or progress note: seen by that mentor, the participant and staff."""

    participant = models.ForeignKey(CohortApplication, on_delete=models.CASCADE, related_name="mentor_notes")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="academy_mentor_notes")
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices, default=NoteKind.MEETING)
    met_on = models.DateField(_("date"), default=timezone.localdate)
    body = models.TextField(_("note"))

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("mentor note")
        verbose_name_plural = _("mentor notes")

    def __str__(self) -> str:
        return f"{self.participant}: {self.met_on}"


class CommunityProject(TimeStampedModel):
    """A community action project of a participant or a team of the cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="projects")
    members = models.ManyToManyField(CohortApplication, verbose_name=_("team"), related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    issue = models.TextField(_("the community issue"))
    plan = models.TextField(_("plan"), blank=True)
    peers_mobilised = models.PositiveIntegerField(
        _("peers mobilised"), default=0, validators=[MaxValueValidator(1_000_000)]
    )
    result = models.TextField(_("result"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["cohort", "pk"]
        verbose_name = _("community action project")
        verbose_name_plural = _("community action projects")

    def __str__(self) -> str:
        return self.title


class ProjectComment(TimeStampedModel):
    project = models.ForeignKey(CommunityProject, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("project comment")
        verbose_name_plural = _("project comments")

    def __str__(self) -> str:
        return self.body[:60]


# --- CSO capacity trainings -------------------------------------------------------------------

ORGANIZATION = "organizations.Organization"
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


def _score_check(field: str, name: str):
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}), name=name)


class Training(TimeStampedModel):
    """A training for CSOs: organisations register the staff who attend, within the
    registration window and the places (academy.services.trainings)."""

    topic = models.CharField(_("topic"), max_length=14, choices=TrainingTopic.choices)
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_sq = models.TextField(_("description (Albanian)"), blank=True, max_length=5000)
    description_sr = models.TextField(_("description (Serbian)"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    places = models.PositiveSmallIntegerField(
        _("places (attendees)"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    registration_opens_at = models.DateTimeField(_("registration opens"))
    registration_closes_at = models.DateTimeField(_("registration closes"))
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("training for CSOs")
        verbose_name_plural = _("trainings for CSOs")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="academy_training_places_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="academy_training_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="academy_training_window",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("starts_at")),
                name="academy_training_registration_before_start",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=TrainingTopic.values), name="academy_training_topic"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    title = property(lambda self: translated(self, "title"))
    description = property(lambda self: translated(self, "description"))

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now < self.registration_closes_at

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at


def training_material_upload(instance, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"academy/trainings/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension[:8]}"


class TrainingMaterial(models.Model):
    """A file of a training: private, served only to the registered organisations' members
    (from the start of the training) and staff."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=training_material_upload, storage=private_storage, max_length=200
    )
    file_type = models.CharField(_("type"), max_length=8)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["training", "pk"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.title


class TrainingRegistration(TimeStampedModel):
    """One organisation's registration to a training (one per organisation), with the
    names of its staff who attend."""

    training = models.ForeignKey(Training, on_delete=models.PROTECT, related_name="registrations")
    organization = models.ForeignKey(ORGANIZATION, on_delete=models.PROTECT, related_name="academy_trainings")
    registered_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["training", "pk"]
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "organization"], name="academy_training_one_registration_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.training} — {self.organization}"


class TrainingAttendee(models.Model):
    """A person an organisation registered; staff mark them present on the day."""

    registration = models.ForeignKey(TrainingRegistration, on_delete=models.CASCADE, related_name="attendees")
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendees", editable=False)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email (optional)"), blank=True)
    present = models.BooleanField(_("present"), default=False)
    marked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)

    class Meta:
        ordering = ["registration", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        indexes = [models.Index(fields=["training", "present"])]

    def __str__(self) -> str:
        return self.name


class TrainingFeedback(TimeStampedModel):
    """The feedback form after a training: once per person, from a member of a registered
    organisation (academy.choices.FEEDBACK_QUESTIONS, each 1–5, and free text)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="feedback")
    registration = models.ForeignKey(TrainingRegistration, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="academy_training_feedback")
    content = models.PositiveSmallIntegerField(
        _("The content was useful for our organisation"), validators=SCORE
    )
    facilitation = models.PositiveSmallIntegerField(
        _("The facilitation was clear and engaging"), validators=SCORE
    )
    apply = models.PositiveSmallIntegerField(_("We will apply what we learned"), validators=SCORE)
    comment = models.TextField(_("anything else you want to tell us"), blank=True, max_length=5000)

    class Meta:
        ordering = ["training", "pk"]
        verbose_name = _("training feedback")
        verbose_name_plural = _("training feedback")
        constraints = [
            models.UniqueConstraint(fields=["training", "author"], name="academy_training_feedback_once"),
            _score_check("content", "academy_feedback_content_1_5"),
            _score_check("facilitation", "academy_feedback_facilitation_1_5"),
            _score_check("apply", "academy_feedback_apply_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.training} — {self.author}"


# --- organisational self-assessment ----------------------------------------------------------

FOLLOW_UP_AFTER_MONTHS = 6


class AssessmentArea(models.Model):
    """An area of the self-assessment questionnaire (kept as data in the admin)."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_sq = models.CharField(_("name (Albanian)"), max_length=200)
    name_sr = models.CharField(_("name (Serbian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("self-assessment area")
        verbose_name_plural = _("self-assessment areas")

    def __str__(self) -> str:
        return self.name

    name = property(lambda self: translated(self, "name"))


class AssessmentQuestion(models.Model):
    area = models.ForeignKey(AssessmentArea, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_sq = models.CharField(_("question (Albanian)"), max_length=400)
    text_sr = models.CharField(_("question (Serbian)"), max_length=400, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=400, blank=True)
    is_active = models.BooleanField(_("asked"), default=True)

    class Meta:
        ordering = ["area__order", "area", "order", "pk"]
        verbose_name = _("self-assessment question")
        verbose_name_plural = _("self-assessment questions")

    def __str__(self) -> str:
        return self.text

    text = property(lambda self: translated(self, "text"))


class SelfAssessment(models.Model):
    """An organisation's answers: a baseline, and a follow-up six months after it."""

    organization = models.ForeignKey(
        ORGANIZATION, on_delete=models.CASCADE, related_name="academy_assessments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    submitted_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["organization", "submitted_at"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="academy_assessment_once_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentKind.values), name="academy_assessment_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_kind_display()}"


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(AssessmentQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("answer"), validators=SCORE)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="academy_answer_once"),
            _score_check("score", "academy_answer_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score}"


# --- community mapping ------------------------------------------------------------------------


class CommunityMap(TimeStampedModel):
    """A CSO's map of the stakeholders of its locality: private to its members unless shared."""

    organization = models.OneToOneField(ORGANIZATION, on_delete=models.CASCADE, related_name="academy_map")
    locality = models.CharField(_("locality"), max_length=200, blank=True)
    shared = models.BooleanField(_("shared publicly"), default=False)

    class Meta:
        verbose_name = _("community map")
        verbose_name_plural = _("community maps")

    def __str__(self) -> str:
        return str(self.organization)


class Stakeholder(TimeStampedModel):
    community_map = models.ForeignKey(CommunityMap, on_delete=models.CASCADE, related_name="stakeholders")
    kind = models.CharField(_("kind"), max_length=12, choices=StakeholderKind.choices)
    organization = models.ForeignKey(
        ORGANIZATION,
        verbose_name=_("organisation in the registry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    interest = models.PositiveSmallIntegerField(_("interest"), validators=SCORE)
    influence = models.PositiveSmallIntegerField(_("influence"), validators=SCORE)
    relation = models.CharField(
        _("relation"), max_length=10, choices=StakeholderRelation.choices, default=StakeholderRelation.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["community_map", "-influence", "-interest", "pk"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            _score_check("interest", "academy_stakeholder_interest_1_5"),
            _score_check("influence", "academy_stakeholder_influence_1_5"),
            models.CheckConstraint(
                condition=Q(kind__in=StakeholderKind.values), name="academy_stakeholder_kind"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=StakeholderRelation.values), name="academy_stakeholder_relation"
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(name=""), name="academy_stakeholder_named"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.organization.name if self.organization_id else "")

    @property
    def quadrant(self) -> str:
        """The grid's quadrant: influence and interest count as high from 3 up."""
        high_influence, high_interest = self.influence >= 3, self.interest >= 3
        if high_influence:
            return "manage" if high_interest else "satisfy"
        return "inform" if high_interest else "monitor"
