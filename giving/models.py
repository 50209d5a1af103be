"""The giving tracker: one row per instance of giving, moderated before it is public."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel, private_storage
from core.money import format_money
from giving.choices import (
    BeneficiaryGroup,
    Cause,
    Confidence,
    DiasporaChannel,
    DonorType,
    Effect,
    Geography,
    RecipientType,
    Recurrence,
    Source,
    Status,
    SupportKind,
)

MAX_AMOUNT = 100_000_000  # EUR; anything above is a typo, not a gift
EARLIEST_DATE = datetime.date(1990, 1, 1)  # the tracker's first year (the dashboard's too)


def validate_gift_date(value: datetime.date | None) -> None:
    """The one rule for a gift's date: from 1990 to today, today in the portal's time zone
    (Europe/Belgrade, settings.TIME_ZONE) whoever types it. GivingRecord.clean() applies
    it, so the forms, the API, the bulk API and imports all refuse the same dates; the
    forms call it too to say so next to the field."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError(_("The date of a gift cannot be before 1990."), code="too_early")
    if value > timezone.localdate(timezone=timezone.get_default_timezone()):
        raise ValidationError(_("The date of a gift cannot be in the future."), code="future")


class GivingRecord(TimeStampedModel):
    date = models.DateField(_("date"), db_index=True)
    amount = models.DecimalField(
        _("amount (EUR)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
        help_text=_("For goods, services or volunteer time: the estimated value in EUR."),
    )
    support_kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    # Donor
    donor_type = models.CharField(_("donor type"), max_length=24, choices=DonorType.choices)
    is_diaspora = models.BooleanField(_("diaspora"), default=False, editable=False)
    donor_name = models.CharField(_("donor name"), max_length=200, blank=True)
    donor_name_public = models.BooleanField(
        _("donor agreed to be named"),
        default=False,
        help_text=_("Names of individual donors are shown only when they agreed."),
    )
    donor_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("donor organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_given",
    )
    donor_country = CountryField(_("donor's country of residence"), blank=True)
    diaspora_channel = models.CharField(
        _("diaspora channel"), max_length=24, choices=DiasporaChannel.choices, blank=True
    )
    # Recipient
    recipient_type = models.CharField(_("recipient type"), max_length=24, choices=RecipientType.choices)
    recipient_name = models.CharField(_("recipient name"), max_length=200, blank=True)
    recipient_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("recipient organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_received",
    )
    # What, for whom, where
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)
    beneficiary_group = models.CharField(
        _("beneficiary group"), max_length=16, choices=BeneficiaryGroup.choices
    )
    geography = models.CharField(
        _("where"), max_length=16, choices=Geography.choices, default=Geography.MUNICIPALITY
    )
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recurrence = models.CharField(
        _("one-off or ongoing"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONE_OFF
    )
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    # Provenance and trust
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_url = models.URLField(_("source link"), blank=True, max_length=500)
    status = models.CharField(
        _("verification"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reporter_email = models.EmailField(
        _("reporter's email"),
        blank=True,
        help_text=_("Given by a visitor who reported the gift; seen by staff only, never shown publicly."),
    )
    confidence = models.CharField(
        _("confidence"), max_length=16, choices=Confidence.choices, default=Confidence.SELF_REPORTED
    )
    confirmed_by_donor_at = models.DateTimeField(_("confirmed by the donor"), null=True, blank=True)
    confirmed_by_recipient_at = models.DateTimeField(_("confirmed by the recipient"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_for = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("entered on behalf of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The CSO or partner whose staff or API token entered the record."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Duplicate detection: the same natural key gives the same fingerprint.
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possible duplicate of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Its moves through its workflow (core.StatusChange rows, oldest first).
    status_changes = GenericRelation("core.StatusChange")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("giving record")
        verbose_name_plural = _("giving records")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(amount__lte=MAX_AMOUNT), name="giving_amount_in_range"
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="giving_status_valid"),
            models.CheckConstraint(
                condition=~Q(geography=Geography.MUNICIPALITY) | Q(municipality__isnull=False),
                name="giving_municipality_when_local",
                violation_error_message=_(
                    "Choose the municipality, or say the gift was Kosovo-wide or outside Kosovo."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.REJECTED) | ~Q(rejection_reason=""),
                name="giving_rejection_has_reason",
                violation_error_message=_("Give a reason for the rejection."),
            ),
        ]
        indexes = [
            # Newest first, as the API's cursor pages them (-date, -id): the first page reads
            # its 100 rows from the index instead of sorting every record of the latest days.
            # Date ranges and years use it as they used (status, date).
            models.Index(fields=["status", "-date", "-id"], name="giving_status_date_id"),
            models.Index(fields=["status", "donor_type"], name="giving_status_donor"),
            models.Index(fields=["status", "municipality"], name="giving_status_muni"),
            models.Index(fields=["status", "cause"], name="giving_status_cause"),
        ]

    def clean(self) -> None:
        super().clean()
        try:
            validate_gift_date(self.date)
        except ValidationError as exc:
            raise ValidationError({"date": exc.error_list}) from None

    def __str__(self) -> str:
        when = date_format(self.date, "SHORT_DATE_FORMAT")
        return f"{when} · {format_money(self.amount)} · {self.get_cause_display()}"

    @property
    def public_donor_name(self) -> str:
        """The donor's name as the public may see it."""
        from giving.choices import PERSONAL_DONOR_TYPES

        if self.donor_type in PERSONAL_DONOR_TYPES and not self.donor_name_public:
            return ""
        return self.donor_name or (self.donor_organization.name if self.donor_organization_id else "")


class ImportBatch(TimeStampedModel):
    """One uploaded CSV/XLSX file: validated whole, then imported (all valid rows or none)."""

    class State(models.TextChoices):
        VALIDATING = "validating", _("Being checked")
        VALIDATED = "validated", _("Validated")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Failed")

    RUNNING_STATES = (State.VALIDATING, State.IMPORTING)

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("uploaded by")
    )
    entered_for = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_hash = models.CharField(_("file fingerprint"), max_length=64, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.VALIDATED)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_valid = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("duplicate rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("imported rows"), default=0)
    errors = models.JSONField(_("errors by row"), default=list, blank=True)
    payload = models.JSONField(_("validated rows"), default=list, blank=True)
    file = models.FileField(_("file"), storage=private_storage, upload_to="imports/%Y/%m/", blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status_message = models.TextField(_("status message"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING_STATES


from giving.aggregates_models import *  # noqa: E402, F403  (the dashboard aggregates and yearly PDFs)
