"""The financial support mechanism: calls (with their form, rubric and documents),
applications (drafts, budget, plan, attachments, revisions, messages, status history),
reviews, and the grants that follow an award (agreement, tranches, reports).

Invariants live here as constraints; every state change is a service in
`grants.services` that follows `grants.workflow`.
"""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Municipality, Sector, TimeStampedModel, private_storage
from core.money import format_money
from core.review import ReviewRecord, RubricCriterion, RubricScore
from grants.choices import (
    PUBLIC_LABELS,
    ApplicantType,
    ApplicationStatus,
    BudgetCategory,
    Eligibility,
    GrantReportStatus,
    GrantStatus,
    QuestionKind,
    Recommendation,
    ReportKind,
    ReportPeriod,
    Stage,
    TrancheStatus,
)
from grants.workflow import APPLICATION
from organizations.models import Organization

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    """An amount rounded to the cent, half up: the one rounding of the budget (a line's
    amount, the co-financing a call asks, shares). The editor's script (static/grants/js/
    editor.js, `centsHalfUp`) rounds the same way, so that it never says OK where the
    service refuses."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def budget_line_amount(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """quantity × unit cost, to the cent (half up)."""
    return to_cents(Decimal(quantity) * Decimal(unit_cost))


def translated(obj, base: str) -> str:
    """`obj.<base>_sq|_sr|_en` in the active language, falling back to Albanian, then English."""
    lang = (get_language() or "sq").lower()
    suffix = "sr" if lang.startswith("sr") else "en" if lang.startswith("en") else "sq"
    return getattr(obj, f"{base}_{suffix}") or getattr(obj, f"{base}_sq") or getattr(obj, f"{base}_en") or ""


def _upload_path(prefix: str, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"grants/{prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def call_document_upload(instance, filename: str) -> str:
    return _upload_path("calls", filename)


def attachment_upload(instance, filename: str) -> str:
    return _upload_path("attachments", filename)


def agreement_upload(instance, filename: str) -> str:
    return _upload_path("agreements", filename)


def grant_report_upload(instance, filename: str) -> str:
    return _upload_path("reports", filename)


# --- calls ----------------------------------------------------------------------------------


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.published().filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.published().filter(closes_at__lte=now or timezone.now())


class Call(TimeStampedModel):
    """An open call for proposals, configured by KCSF staff in admin."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("programme code"),
        max_length=40,
        blank=True,
        help_text=_("Used as the grant programme in open data."),
    )
    title_sq = models.CharField(_("title (Albanian)"), max_length=200)
    title_sr = models.CharField(_("title (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_sq = models.CharField(_("summary (Albanian)"), max_length=300, blank=True)
    summary_sr = models.CharField(_("summary (Serbian)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_sq = models.TextField(_("description (Albanian)"))
    description_sr = models.TextField(_("description (Serbian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    allow_organizations = models.BooleanField(_("registered CSOs may apply"), default=True)
    allow_groups = models.BooleanField(_("informal groups may apply"), default=False)
    allow_individuals = models.BooleanField(_("individuals may apply"), default=False)

    total_budget = models.DecimalField(_("total budget (EUR)"), **MONEY, validators=[MinValueValidator(ZERO)])
    min_amount = models.DecimalField(
        _("minimum per grant (EUR)"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    max_amount = models.DecimalField(
        _("maximum per grant (EUR)"), **MONEY, validators=[MinValueValidator(ZERO)]
    )
    cofinancing_percent = models.DecimalField(
        _("co-financing required (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of the total project cost the applicant must cover from other sources."),
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities targeted"),
        blank=True,
        related_name="grant_calls",
        help_text=_("Leave empty for all of Kosovo."),
    )
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors targeted"), blank=True, related_name="grant_calls"
    )

    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(
        _("closes at"), help_text=_("Deadline of the (first-stage) application.")
    )
    two_stage = models.BooleanField(
        _("two stages"),
        default=False,
        help_text=_("A short concept note first; invited applicants then submit a full proposal."),
    )
    full_proposal_closes_at = models.DateTimeField(
        _("full proposals close at"), null=True, blank=True, help_text=_("Only for two-stage calls.")
    )
    review_deadline = models.DateTimeField(_("reviews due by"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    co_managers = models.ManyToManyField(
        Organization,
        verbose_name=_("co-managing organisations"),
        blank=True,
        related_name="co_managed_calls",
        help_text=_(
            "Partners whose API tokens with the grants:read scope may read this call's applications."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CallQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__lte=F("max_amount")), name="grants_call_min_le_max"
            ),
            models.CheckConstraint(
                condition=Q(max_amount__lte=F("total_budget")), name="grants_call_max_le_budget"
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="grants_call_opens_before_close"
            ),
            models.CheckConstraint(
                condition=Q(allow_organizations=True) | Q(allow_groups=True) | Q(allow_individuals=True),
                name="grants_call_someone_may_apply",
            ),
            models.CheckConstraint(
                condition=Q(cofinancing_percent__gte=0) & Q(cofinancing_percent__lte=100),
                name="grants_call_cofinancing_percent",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    title = property(lambda self: translated(self, "title"))
    summary = property(lambda self: translated(self, "summary"))
    description = property(lambda self: translated(self, "description"))

    @property
    def applicant_types(self) -> list[str]:
        return [
            value
            for value, allowed in (
                (ApplicantType.ORGANIZATION, self.allow_organizations),
                (ApplicantType.GROUP, self.allow_groups),
                (ApplicantType.INDIVIDUAL, self.allow_individuals),
            )
            if allowed
        ]

    def deadline_for(self, stage: str):
        if stage == Stage.FULL and self.two_stage:
            return self.full_proposal_closes_at
        return self.closes_at

    def closed_reason(self, now=None) -> str:
        """Why no application can be started now ("" while the call is open): the one
        definition of "the call is open" (the apply page and the services read it)."""
        now = now or timezone.now()
        if not self.is_published:
            return str(_("This call is not published."))
        if now < self.opens_at:
            return str(_("This call is not open yet."))
        if now >= self.closes_at:
            return str(_("The deadline of this call has passed."))
        return ""

    def is_open(self, now=None) -> bool:
        return not self.closed_reason(now)

    @property
    def phase(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    @property
    def first_stage(self) -> str:
        return Stage.CONCEPT if self.two_stage else Stage.FULL


class CallDocument(TimeStampedModel):
    """A public document of a call (guidelines, templates)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: all languages."),
    )
    file = models.FileField(_("file"), upload_to=call_document_upload)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")

    def __str__(self) -> str:
        return self.title


class AttachmentRequirement(models.Model):
    """A document every applicant must (or may) attach, e.g. the registration certificate."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attachment_requirements")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.FULL)
    label_sq = models.CharField(_("label (Albanian)"), max_length=200)
    label_sr = models.CharField(_("label (Serbian)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    required = models.BooleanField(_("required"), default=True)
    applicant_types = models.JSONField(
        _("for applicant types"),
        default=list,
        blank=True,
        help_text=_("Empty: every applicant. Otherwise a list of: organization, group, individual."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("required attachment")
        verbose_name_plural = _("required attachments")

    def __str__(self) -> str:
        return self.label

    label = property(lambda self: translated(self, "label"))

    def applies_to(self, applicant_type: str) -> bool:
        return not self.applicant_types or applicant_type in self.applicant_types


class Question(models.Model):
    """One question of a call's application form (the form builder)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.FULL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label_sq = models.CharField(_("question (Albanian)"), max_length=300)
    label_sr = models.CharField(_("question (Serbian)"), max_length=300, blank=True)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_sq = models.TextField(_("help (Albanian)"), blank=True)
    help_sr = models.TextField(_("help (Serbian)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    word_limit = models.PositiveIntegerField(
        _("word limit"), null=True, blank=True, help_text=_("Long text only.")
    )
    min_value = models.DecimalField(_("minimum"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=14, decimal_places=2, null=True, blank=True)
    choices_sq = models.TextField(_("options (Albanian)"), blank=True, help_text=_("One option per line."))
    choices_sr = models.TextField(
        _("options (Serbian)"), blank=True, help_text=_("One option per line, same order.")
    )
    choices_en = models.TextField(
        _("options (English)"), blank=True, help_text=_("One option per line, same order.")
    )

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in QuestionKind]), name="grants_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    label = property(lambda self: translated(self, "label"))
    help_text = property(lambda self: translated(self, "help"))

    @property
    def key(self) -> str:
        """The key of this question's answer in `Application.answers`."""
        return f"q{self.pk}"

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs; values are the option's position ("1", "2", ...)."""
        sq = [line.strip() for line in self.choices_sq.splitlines() if line.strip()]
        mine = [line.strip() for line in translated(self, "choices").splitlines() if line.strip()]
        if len(mine) != len(sq):
            mine = sq
        return [(str(i), label) for i, label in enumerate(mine, start=1)]

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class Criterion(RubricCriterion):
    """One criterion of a call's weighted rubric (weight and maximum score: core.review)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.FULL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_sq = models.CharField(_("criterion (Albanian)"), max_length=200)
    title_sr = models.CharField(_("criterion (Serbian)"), max_length=200, blank=True)
    title_en = models.CharField(_("criterion (English)"), max_length=200, blank=True)
    guidance_sq = models.TextField(_("guidance (Albanian)"), blank=True)
    guidance_sr = models.TextField(_("guidance (Serbian)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.PositiveSmallIntegerField(
        _("maximum score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="grants_criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="grants_criterion_max_score_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    title = property(lambda self: translated(self, "title"))
    guidance = property(lambda self: translated(self, "guidance"))


# --- applications ---------------------------------------------------------------------------


class ReferenceCounter(models.Model):
    """The last reference number given in a year: CEA-<year>-<number>."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Application(TimeStampedModel):
    """An application to a call: a draft until submitted, then assessed and decided."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="grant_applications",
        help_text=_("The person who started the application."),
    )
    applicant_type = models.CharField(_("applying as"), max_length=14, choices=ApplicantType.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
    )
    group_name = models.CharField(_("name of the group"), max_length=200, blank=True)

    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.FULL)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=12, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.TextField(_("reason of the eligibility decision"), blank=True)
    reference = models.CharField(_("reference"), max_length=20, unique=True, null=True, blank=True)

    title = models.CharField(_("project title"), max_length=200, blank=True)
    summary = models.TextField(_("project summary"), blank=True, max_length=2000)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("where the project takes place"),
    )
    starts_on = models.DateField(_("project starts"), null=True, blank=True)
    ends_on = models.DateField(_("project ends"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    # Totals of the budget table, kept by the service that saves the budget.
    requested_amount = models.DecimalField(_("amount requested (EUR)"), **MONEY, default=ZERO)
    cofinancing_amount = models.DecimalField(_("co-financing (EUR)"), **MONEY, default=ZERO)
    total_cost = models.DecimalField(_("total cost (EUR)"), **MONEY, default=ZERO)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(
        _("reason or conditions of the decision"), blank=True, help_text=_("Sent to the applicant.")
    )
    # Denormalised by the review service: the ranking table sorts on it.
    average_score = models.DecimalField(
        _("average weighted score"), max_digits=6, decimal_places=2, null=True
    )
    reviews_done = models.PositiveSmallIntegerField(_("reviews done"), default=0)
    reviews_assigned = models.PositiveSmallIntegerField(_("reviews assigned"), default=0)

    history = HistoricalRecords(excluded_fields=["answers"])
    # Its moves through grants.workflow.APPLICATION (core.StatusChange rows, oldest first);
    # `core.StatusChange.objects.filter(application=...)` reads them too.
    status_changes = GenericRelation("core.StatusChange", related_query_name="application")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ApplicationStatus]),
                name="grants_application_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(applicant_type="organization", organization__isnull=False)
                | (~Q(applicant_type="organization") & Q(organization__isnull=True)),
                name="grants_application_organization_iff_cso",
            ),
            models.CheckConstraint(
                # Sent once: a reference. A draft withdrawn before it was sent has none.
                condition=Q(status__in=["draft", "withdrawn"]) | Q(reference__isnull=False),
                name="grants_application_reference_once_sent",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0), name="grants_application_requested_nonneg"
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"]),
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["call", "-average_score"]),
        ]

    def __str__(self) -> str:
        return self.reference or gettext_draft(self)

    @property
    def public_status_label(self) -> str:
        return str(PUBLIC_LABELS[ApplicationStatus(self.status)])

    @property
    def status_colour(self) -> str:
        return APPLICATION.colour(self.status)

    @property
    def applicant_name(self) -> str:
        if self.applicant_type == ApplicantType.ORGANIZATION and self.organization_id:
            return self.organization.name
        if self.applicant_type == ApplicantType.GROUP:
            return self.group_name
        return self.applicant.get_full_name() or self.applicant.email

    @property
    def deadline(self):
        return self.call.deadline_for(self.stage)


def gettext_draft(application) -> str:
    return f"{_('Draft')} #{application.pk}"


class GroupMember(models.Model):
    """A named member of an informal group that applies."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="group_members")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role in the group"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """One row of the budget table. amount = quantity × unit cost = requested + co-financing."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    order = models.PositiveSmallIntegerField(default=0)
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    item = models.CharField(_("item"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit_cost = models.DecimalField(_("unit cost (EUR)"), **MONEY)
    requested = models.DecimalField(_("requested (EUR)"), **MONEY)
    cofinancing = models.DecimalField(_("co-financing (EUR)"), **MONEY, default=ZERO)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0)
                & Q(unit_cost__gte=0)
                & Q(requested__gte=0)
                & Q(cofinancing__gte=0),
                name="grants_budgetline_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return self.item

    @property
    def amount(self) -> Decimal:
        return budget_line_amount(self.quantity, self.unit_cost)


class PlannedActivity(models.Model):
    """One activity of the application's timeline (work plan)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("activity"), max_length=200)
    starts_on = models.DateField(pgettext_lazy("date range", "from"))
    ends_on = models.DateField(pgettext_lazy("date range", "to"))
    description = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["starts_on", "order", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="grants_activity_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attachment(TimeStampedModel):
    """A file of an application (a required attachment or the answer to a file question).
    Private: served only to who may see the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    requirement = models.ForeignKey(
        AttachmentRequirement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    file = models.FileField(_("file"), upload_to=attachment_upload, storage=private_storage, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    file_type = models.CharField(_("type"), max_length=8)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Frozen with a revision: a later edit adds a new file instead of deleting this one.
    frozen = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class Revision(models.Model):
    """A frozen copy of everything the applicant sent, made at each (re)submission."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    snapshot = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="grants_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application} r{self.number}"


class Message(models.Model):
    """A message on the thread between the applicant and KCSF staff."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_staff = models.BooleanField(_("from KCSF"), default=False)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return self.body[:60]


# --- reviews --------------------------------------------------------------------------------


class ReviewAssignment(TimeStampedModel, ReviewRecord):
    """A reviewer assigned to one application (at one stage), with their review (status,
    conflict of interest, comment and weighted score: core.review)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_review_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage", "reviewer"], name="grants_assignment_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted")
                | (Q(submitted_at__isnull=False) & Q(weighted_score__isnull=False)),
                name="grants_assignment_submitted_has_score",
            ),
        ]
        indexes = [models.Index(fields=["reviewer", "status"])]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"


class Score(RubricScore):
    """A reviewer's score of one criterion (score and comment: core.review)."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="grants_score_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


# --- after the award ------------------------------------------------------------------------


class Grant(TimeStampedModel):
    """The award that follows an approved application."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="grants")
    amount = models.DecimalField(_("amount awarded (EUR)"), **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.AWARDED
    )
    agreement_file = models.FileField(
        _("signed agreement"), upload_to=agreement_upload, storage=private_storage, blank=True, max_length=200
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closing_note = models.TextField(_("note on closing or termination"), blank=True)

    history = HistoricalRecords()
    # Its moves through grants.workflow (core.StatusChange rows, oldest first).
    status_changes = GenericRelation("core.StatusChange")

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_grant_amount_positive"),
        ]
        indexes = [models.Index(fields=["call", "awarded_at"]), models.Index(fields=["-awarded_at"])]

    def __str__(self) -> str:
        return f"{self.application.reference} ({format_money(self.amount)})"

    @property
    def identifier(self) -> str:
        """The 360Giving identifier: the publisher prefix and the application's reference."""
        return f"{settings.GRANTS_360_PREFIX}-{self.application.reference}"


class Tranche(models.Model):
    """One payment of a grant's disbursement plan."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    planned_on = models.DateField(_("planned date"))
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    after_report = models.ForeignKey(
        "GrantReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("released when this report is accepted"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    history = HistoricalRecords()
    # Its moves through grants.workflow (core.StatusChange rows, oldest first).
    status_changes = GenericRelation("core.StatusChange")

    class Meta:
        ordering = ["grant", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="grants_tranche_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.grant} #{self.number}"


class GrantReport(TimeStampedModel):
    """A reporting duty of a grant (interim/final × narrative/financial) and what was sent."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=10, choices=ReportPeriod.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=GrantReportStatus.choices, default=GrantReportStatus.DUE
    )
    text = models.TextField(_("report"), blank=True, max_length=20000)
    file = models.FileField(
        _("file"), upload_to=grant_report_upload, storage=private_storage, blank=True, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff_comment = models.TextField(_("comment of KCSF"), blank=True)

    history = HistoricalRecords()
    # Its moves through grants.workflow (core.StatusChange rows, oldest first).
    status_changes = GenericRelation("core.StatusChange")

    class Meta:
        ordering = ["grant", "due_on", "pk"]
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_period_display()} {self.get_kind_display()} — {self.grant}"
