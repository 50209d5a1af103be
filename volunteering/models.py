"""Volunteering: a shared skill taxonomy, volunteer (and diaspora expert) profiles, the
opportunities and expert requests organisations post, applications and invitations, the
engagements they become and the hours logged on them.

Invariants live in the database: one profile per person, one application per person and
opportunity, hours above 0 and at most 24, never more accepted people than places
(`places_filled <= places`, kept by the services under a row lock).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.models import TimeStampedModel, TranslatedNameMixin
from volunteering.choices import (
    ApplicationOrigin,
    ApplicationStatus,
    EngagementStatus,
    ExpertForm,
    Expertise,
    FeedbackOutcome,
    FeedbackSide,
    HoursStatus,
    Language,
    LanguageLevel,
    OpportunityKind,
    OpportunityStatus,
    Visibility,
    WorkMode,
)


def _valid(field: str, choices) -> models.Q:
    return models.Q(**{f"{field}__in": list(choices.values)})


class Skill(TranslatedNameMixin):
    """A skill of the shared taxonomy (kept by KCSF staff in the admin)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        ordering = ["ordering", "name_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class VolunteerProfile(TimeStampedModel):
    """What a person offers as a volunteer or expert. Private by default: organisations see
    only what `visibility` allows, and only of people who consented to be contacted."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_profile",
        verbose_name=_("person"),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="profiles", verbose_name=_("skills"))
    tags = models.JSONField(_("other skills (free tags)"), default=list, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), default=2)
    weekdays = models.BooleanField(_("weekdays"), default=False)
    evenings = models.BooleanField(_("evenings"), default=False)
    weekends = models.BooleanField(_("weekends"), default=False)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    work_mode = models.CharField(
        _("how you work"), max_length=10, choices=WorkMode.choices, default=WorkMode.BOTH
    )
    # The diaspora
    country = CountryField(_("country where you live"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=60, blank=True)
    utc_offset = models.SmallIntegerField(
        _("UTC offset (minutes)"), default=60, help_text=_("Kept from the time zone, for matching.")
    )
    expertise = models.CharField(
        _("professional expertise offered pro bono"), max_length=20, choices=Expertise.choices, blank=True
    )
    expertise_note = models.CharField(_("about your expertise"), max_length=500, blank=True)
    # Privacy and consent
    visibility = models.CharField(
        _("what organisations may see"), max_length=10, choices=Visibility.choices, default=Visibility.SKILLS
    )
    contact_consent = models.BooleanField(_("organisations may contact me"), default=False)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    monthly_digest = models.BooleanField(
        _("send me a monthly email of new opportunities that fit me"), default=False
    )

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")
        constraints = [
            models.CheckConstraint(
                condition=_valid("work_mode", WorkMode), name="volunteering_profile_mode_valid"
            ),
            models.CheckConstraint(
                condition=_valid("visibility", Visibility), name="volunteering_profile_visibility_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__lte=80), name="volunteering_profile_hours_lte_80"
            ),
        ]
        indexes = [models.Index(fields=["contact_consent", "municipality"])]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_diaspora(self) -> bool:
        return bool(self.country) and self.country != "XK"


class ProfileLanguage(models.Model):
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=LanguageLevel.choices, default=LanguageLevel.GOOD
    )

    class Meta:
        ordering = ["-level", "language"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language"], name="volunteering_profile_language_unique"
            ),
            models.CheckConstraint(
                condition=_valid("language", Language), name="volunteering_language_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["language", "level", "profile"]),
            # the matching's per-person probe "speaks one of these languages well enough"
            models.Index(fields=["profile", "language", "level"], name="volunteering_pl_probe_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"


class Opportunity(TimeStampedModel):
    """A volunteer opportunity or an expert request of an organisation."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="volunteer_opportunities",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OpportunityKind.choices, default=OpportunityKind.OPPORTUNITY
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    cause = models.ForeignKey(
        "core.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cause"),
    )
    skills = models.ManyToManyField(
        Skill, through="OpportunitySkill", blank=True, related_name="opportunities", verbose_name=_("skills")
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place (municipality)"),
    )
    remote = models.BooleanField(_("can be done remotely"), default=False)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    places_filled = models.PositiveSmallIntegerField(_("places filled"), default=0, editable=False)
    hours_per_week = models.PositiveSmallIntegerField(_("hours expected per week"), default=2)
    weekdays = models.BooleanField(_("weekdays"), default=False)
    evenings = models.BooleanField(_("evenings"), default=False)
    weekends = models.BooleanField(_("weekends"), default=False)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    # An expert request
    brief = models.TextField(_("short brief of the problem"), max_length=2000, blank=True)
    expertise = models.CharField(_("expertise needed"), max_length=20, choices=Expertise.choices, blank=True)
    form = models.CharField(_("form"), max_length=20, choices=ExpertForm.choices, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        # not yet published first, as PostgreSQL sorts NULL descending (and SQLite, told so)
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(
                condition=_valid("status", OpportunityStatus), name="volunteering_opp_status_valid"
            ),
            models.CheckConstraint(
                condition=_valid("kind", OpportunityKind), name="volunteering_opp_kind_valid"
            ),
            models.CheckConstraint(condition=models.Q(places__gte=1), name="volunteering_opp_places_gte_1"),
            models.CheckConstraint(
                condition=models.Q(places_filled__lte=models.F("places")),
                name="volunteering_opp_not_overfilled",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="volunteering_opp_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["organization", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteering:opportunity_detail", kwargs={"pk": self.pk})

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_filled, 0)

    @property
    def is_expert_request(self) -> bool:
        return self.kind == OpportunityKind.EXPERT_REQUEST


class OpportunitySkill(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="skill_needs")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    required = models.BooleanField(_("must have"), default=True)

    class Meta:
        verbose_name = _("skill needed")
        verbose_name_plural = _("skills needed")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "skill"], name="volunteering_opp_skill_unique"),
        ]
        indexes = [models.Index(fields=["skill", "opportunity"])]

    def __str__(self) -> str:
        return f"{self.skill} ({'must' if self.required else 'nice'})"


class OpportunityLanguage(models.Model):
    """A language the opportunity is done in (any one of them is enough)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "language"], name="volunteering_opp_language_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.get_language_display()


class Application(TimeStampedModel):
    """A person's application to an opportunity, or the organisation's invitation."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications", verbose_name=_("opportunity")
    )
    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="applications", verbose_name=_("volunteer")
    )
    origin = models.CharField(_("origin"), max_length=10, choices=ApplicationOrigin.choices)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    response = models.TextField(_("answer of the organisation"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "profile"],
                name="volunteering_application_unique",
                violation_error_message=_("You have already applied to this opportunity."),
            ),
            models.CheckConstraint(
                condition=_valid("status", ApplicationStatus), name="volunteering_app_status_valid"
            ),
            models.CheckConstraint(
                condition=_valid("origin", ApplicationOrigin), name="volunteering_app_origin_valid"
            ),
        ]
        indexes = [models.Index(fields=["opportunity", "status"])]

    def __str__(self) -> str:
        return f"{self.profile} → {self.opportunity}"


class Engagement(TimeStampedModel):
    """An accepted application: the person works with the organisation until the
    engagement is completed or cancelled."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="engagement", verbose_name=_("application")
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="engagements")
    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="engagements")
    status = models.CharField(
        _("status"), max_length=10, choices=EngagementStatus.choices, default=EngagementStatus.ACTIVE
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.CheckConstraint(
                condition=_valid("status", EngagementStatus), name="volunteering_eng_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.opportunity}"

    def get_absolute_url(self) -> str:
        return reverse("volunteering:engagement_detail", kwargs={"pk": self.pk})


class HoursEntry(TimeStampedModel):
    """Hours a volunteer logged on an engagement; the organisation confirms or disputes them."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="hours", verbose_name=_("engagement")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    description = models.CharField(_("what was done"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=HoursStatus.choices, default=HoursStatus.LOGGED
    )
    dispute_reason = models.CharField(_("reason of the dispute"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24), name="volunteering_hours_0_24"
            ),
            models.CheckConstraint(
                condition=_valid("status", HoursStatus), name="volunteering_hours_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["engagement", "status"])]

    def __str__(self) -> str:
        return f"{self.date}: {self.hours}"


class SavedOpportunity(models.Model):
    """An opportunity a person bookmarked (they hear once when its deadline is near)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_opportunities",
        verbose_name=_("person"),
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="saved_by", verbose_name=_("opportunity")
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved opportunity")
        verbose_name_plural = _("saved opportunities")
        constraints = [
            models.UniqueConstraint(fields=["user", "opportunity"], name="volunteering_saved_unique"),
        ]
        indexes = [models.Index(fields=["opportunity", "user"])]

    def __str__(self) -> str:
        return f"{self.user} ★ {self.opportunity}"


class ExpertFeedback(TimeStampedModel):
    """How an expert request went, from one side (the expert or the organisation) of its
    ended engagement. One per person and one per side: nobody rates twice."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("engagement")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    side = models.CharField(_("side"), max_length=20, choices=FeedbackSide.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=FeedbackOutcome.choices)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"))
    would_work_again = models.BooleanField(_("would work together again"))

    class Meta:
        ordering = ["side"]
        verbose_name = _("expert request feedback")
        verbose_name_plural = _("expert request feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "author"],
                name="volunteering_feedback_once_per_person",
                violation_error_message=_("You have already given your feedback on this request."),
            ),
            models.UniqueConstraint(
                fields=["engagement", "side"],
                name="volunteering_feedback_once_per_side",
                violation_error_message=_("This side has already given its feedback on this request."),
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1) & models.Q(rating__lte=5),
                name="volunteering_feedback_rating_1_5",
            ),
            models.CheckConstraint(
                condition=_valid("side", FeedbackSide), name="volunteering_feedback_side_valid"
            ),
            models.CheckConstraint(
                condition=_valid("outcome", FeedbackOutcome), name="volunteering_feedback_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engagement} ({self.side}): {self.rating}"
