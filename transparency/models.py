"""Yearly CSO transparency reports and badges; public funding to CSOs; the Strategy for
Cooperation with Civil Society and its monitoring."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, private_storage
from core.money import format_money
from transparency.choices import (
    OPEN_REPORT_STATUSES,
    BadgeLevel,
    CommentStatus,
    DocumentKind,
    FormSize,
    FundingProcedure,
    FundingSource,
    MeasureStatus,
    ReportStatus,
)


def money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        **kwargs,
    )


# Income sources of the report: field name -> label. Kept as data so forms, totals,
# pre-fill, the badge rules and the public page all walk the same list.
INCOME_FIELDS = {
    "income_national_public": _("National public funds"),
    "income_municipal_public": _("Municipal public funds"),
    "income_foreign_donors": _("Foreign and international donors"),
    "income_domestic_individuals": _("Domestic individuals"),
    "income_domestic_businesses": _("Domestic businesses"),
    "income_diaspora": _("Diaspora"),
    "income_membership_fees": _("Membership fees"),
    "income_economic_activity": _("Economic activity"),
    "income_other": _("Other income"),
}
EXPENDITURE_FIELDS = {
    "expenditure_programs": _("Programmes"),
    "expenditure_administration": _("Administration"),
    "expenditure_fundraising": _("Fundraising"),
}


class TransparencyReport(TimeStampedModel):
    """One organisation's report for one year. A correction after publication is a new
    version; the old one stays visible as superseded."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="transparency_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    form_size = models.CharField(_("form"), max_length=8, choices=FormSize.choices, default=FormSize.FULL)

    income_national_public = money(INCOME_FIELDS["income_national_public"])
    income_municipal_public = money(INCOME_FIELDS["income_municipal_public"])
    income_foreign_donors = money(INCOME_FIELDS["income_foreign_donors"])
    income_domestic_individuals = money(INCOME_FIELDS["income_domestic_individuals"])
    income_domestic_businesses = money(INCOME_FIELDS["income_domestic_businesses"])
    income_diaspora = money(INCOME_FIELDS["income_diaspora"])
    income_membership_fees = money(INCOME_FIELDS["income_membership_fees"])
    income_economic_activity = money(INCOME_FIELDS["income_economic_activity"])
    income_other = money(INCOME_FIELDS["income_other"])
    total_income_declared = models.DecimalField(
        _("total income (if you know it)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Optional: when given, the sources must add up to it."),
    )
    expenditure_programs = money(EXPENDITURE_FIELDS["expenditure_programs"])
    expenditure_administration = money(EXPENDITURE_FIELDS["expenditure_administration"])
    expenditure_fundraising = money(EXPENDITURE_FIELDS["expenditure_fundraising"])

    staff_full_time = models.PositiveIntegerField(_("paid staff, full-time"), default=0)
    staff_part_time = models.PositiveIntegerField(_("paid staff, part-time"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours"), default=0)
    main_activities = models.TextField(_("main activities and results"), blank=True, max_length=6000)
    beneficiaries_reached = models.PositiveIntegerField(_("beneficiaries reached"), null=True, blank=True)
    municipalities = models.ManyToManyField(
        "core.Municipality", verbose_name=_("municipalities where it worked"), blank=True, related_name="+"
    )
    prefill_sources = models.JSONField(
        _("pre-filled from"), default=dict, blank=True, help_text=_("Which figures came from where.")
    )

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    reviewed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    review_comments = models.TextField(_("comments from KCSF"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Its moves through its workflow (core.StatusChange rows, oldest first).
    status_changes = GenericRelation("core.StatusChange")

    class Meta:
        ordering = ["organization", "-year", "-version"]
        verbose_name = _("transparency report")
        verbose_name_plural = _("transparency reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "version"], name="transparency_unique_report_version"
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(status__in=OPEN_REPORT_STATUSES),
                name="transparency_one_open_report_per_year",
                violation_error_message=_(
                    "This organisation already has a report for that year in progress."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(status="published"),
                name="transparency_one_published_report_per_year",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="transparency_year_range"
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="transp_status_year")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year} (v{self.version})"

    @property
    def total_income(self) -> Decimal:
        return sum((getattr(self, f) or Decimal("0") for f in INCOME_FIELDS), Decimal("0"))

    @property
    def total_expenditure(self) -> Decimal:
        return sum((getattr(self, f) or Decimal("0") for f in EXPENDITURE_FIELDS), Decimal("0"))


class BoardMember(models.Model):
    report = models.ForeignKey(
        TransparencyReport, on_delete=models.CASCADE, related_name="board_members", verbose_name=_("report")
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=100)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "pk"]
        verbose_name = _("board member")
        verbose_name_plural = _("board members")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class ReportDocument(TimeStampedModel):
    """A document of a report. Stored privately; served by the portal only when the report
    is published (or to its organisation's members and staff)."""

    report = models.ForeignKey(
        TransparencyReport, on_delete=models.CASCADE, related_name="documents", verbose_name=_("report")
    )
    kind = models.CharField(_("document"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to="transparency/%Y/")
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
        ordering = ["kind", "pk"]
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class OrganizationBadge(TimeStampedModel):
    """The current transparency badge of an organisation, recomputed from its published
    reports by `transparency.services.badges.recompute` (details hold each rule's result)."""

    organization = models.OneToOneField(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="transparency_badge",
        verbose_name=_("organisation"),
    )
    level = models.CharField(
        _("level"), max_length=8, choices=BadgeLevel.choices, default=BadgeLevel.NONE, db_index=True
    )
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    year = models.PositiveSmallIntegerField(_("based on the report of"), null=True, blank=True)
    details = models.JSONField(_("rules met"), default=dict, blank=True)

    class Meta:
        verbose_name = _("transparency badge")
        verbose_name_plural = _("transparency badges")

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_level_display()} ({self.score})"


class PublicFundingRecord(TimeStampedModel):
    """Public money given to a CSO by an institution, as declared or as found by monitoring."""

    institution = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="public_funding_given",
        verbose_name=_("granting institution"),
    )
    recipient = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="public_funding_received",
        null=True,
        blank=True,
        verbose_name=_("recipient organisation"),
    )
    recipient_name = models.CharField(_("recipient as declared"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    amount = models.DecimalField(
        _("amount (EUR)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    programme = models.CharField(_("programme or call"), max_length=255, blank=True)
    procedure = models.CharField(_("procedure"), max_length=16, choices=FundingProcedure.choices)
    call_published = models.BooleanField(_("call published"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    recipient_reported = models.BooleanField(_("recipient reported on the funds"), default=False)
    source = models.CharField(
        _("source"), max_length=12, choices=FundingSource.choices, default=FundingSource.DECLARED
    )
    notes = models.TextField(_("notes"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "institution", "-amount"]
        verbose_name = _("public funding record")
        verbose_name_plural = _("public funding records")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transparency_funding_amount_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="transparency_funding_year_range"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "institution"], name="transp_funding_year_inst"),
            models.Index(fields=["recipient", "year"], name="transp_funding_recip_year"),
        ]

    def __str__(self) -> str:
        return f"{self.institution} → {self.recipient_name} ({self.year}): {format_money(self.amount)}"


class TranslatedTitleMixin(models.Model):
    title_sq = models.CharField(_("title (Albanian)"), max_length=300)
    title_sr = models.CharField(_("title (Serbian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        lang = (get_language() or "sq").lower()
        if lang.startswith("sr"):
            return self.title_sr or self.title_sq
        if lang.startswith("en"):
            return self.title_en or self.title_sq
        return self.title_sq


class StrategyObjective(TranslatedTitleMixin, TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")


class StrategyMeasure(TranslatedTitleMixin, TimeStampedModel):
    objective = models.ForeignKey(
        StrategyObjective, on_delete=models.CASCADE, related_name="measures", verbose_name=_("objective")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    responsible_institution = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible institution"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    indicator = models.TextField(_("indicator"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MeasureStatus.choices,
        default=MeasureStatus.NOT_STARTED,
        db_index=True,
    )
    progress_note = models.TextField(_("progress"), blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["objective__ordering", "code"]
        verbose_name = _("strategy measure")
        verbose_name_plural = _("strategy measures")


class MeasureComment(TimeStampedModel):
    measure = models.ForeignKey(
        StrategyMeasure, on_delete=models.CASCADE, related_name="comments", verbose_name=_("measure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("author")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        db_index=True,
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
        ordering = ["created_at"]
        verbose_name = _("comment on a measure")
        verbose_name_plural = _("comments on measures")

    def __str__(self) -> str:
        return f"{self.author} on {self.measure.code}"
