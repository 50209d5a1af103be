"""The pre-aggregated giving cube behind the dashboard, the aggregates API and the yearly
report (imported at the end of giving/models.py).

One row per month and combination of every filter dimension, with the sum and count of
the verified records in it. It is derived data: `giving.aggregates.refresh()` rebuilds
it (whole, or only some months) from GivingRecord; nothing else writes it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import private_storage

__all__ = ["GivingMonthlyMarginal", "GivingMonthlySummary", "GivingSummaryState", "GivingYearlyReport"]


class GivingMonthlySummary(models.Model):
    month = models.DateField(_("month"))  # the first day of the month
    donor_type = models.CharField(max_length=24)
    is_diaspora = models.BooleanField(default=False)
    cause = models.CharField(max_length=20)
    recipient_type = models.CharField(max_length=24)
    support_kind = models.CharField(max_length=16)
    confidence = models.CharField(max_length=16)
    geography = models.CharField(max_length=16)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    effect = models.CharField(max_length=10, blank=True)
    donor_country = models.CharField(max_length=2, blank=True, default="")
    total = models.DecimalField(max_digits=18, decimal_places=2)
    count = models.PositiveIntegerField()

    class Meta:
        db_table = "giving_summary_month"
        verbose_name = _("monthly giving summary")
        verbose_name_plural = _("monthly giving summaries")
        indexes = [
            models.Index(fields=["month"], name="giving_summ_month"),
            models.Index(fields=["cause", "month"], name="giving_summ_cause"),
            models.Index(fields=["municipality", "month"], name="giving_summ_muni"),
            models.Index(fields=["donor_type", "month"], name="giving_summ_donor"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.count} · {self.total}"


class GivingSummaryState(models.Model):
    """A single row: the data version (bumped by every refresh that changed the cube, so
    caches and the yearly PDFs keyed on it are regenerated) and when it was refreshed."""

    version = models.PositiveBigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    records_signature = models.CharField(max_length=120, blank=True)

    class Meta:
        db_table = "giving_summary_state"
        verbose_name = _("giving summary state")
        verbose_name_plural = _("giving summary state")

    def __str__(self) -> str:
        return f"v{self.version}"


class GivingMonthlyMarginal(models.Model):
    """Rollups of the cube by month and at most two dimensions (see
    giving.aggregates.ROLLUP_SETS): with `filter_dimension` "" the unfiltered totals of each
    month by one dimension at a time (`dimension` "all" with `value` "" is the month's
    total); otherwise the totals by `dimension` of the records whose `filter_dimension` is
    `filter_value`. They answer the dashboard filtered by the period and at most one
    dimension from a few hundred rows, without reading the cube."""

    month = models.DateField(_("month"))
    filter_dimension = models.CharField(max_length=20, blank=True, default="")
    filter_value = models.CharField(max_length=24, blank=True, default="")
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=24, blank=True)
    total = models.DecimalField(max_digits=18, decimal_places=2)
    count = models.IntegerField()  # signed: the refresh upserts differences

    class Meta:
        db_table = "giving_summary_marginal"
        verbose_name = _("monthly giving marginal")
        verbose_name_plural = _("monthly giving marginals")
        constraints = [
            # Also the index every read uses: (filter dimension, dimension, filter value…).
            models.UniqueConstraint(
                fields=["filter_dimension", "dimension", "filter_value", "value", "month"],
                name="giving_marg_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.filter_dimension}={self.filter_value} · {self.dimension}={self.value}"


class GivingYearlyReport(models.Model):
    """The yearly PDF report of one year in one language, built in the background for one
    data version: the same year, language and version is never built twice, and a refresh
    of the aggregates (a new version) makes the next request build it again."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10)
    data_version = models.PositiveBigIntegerField(_("data version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to="giving/yearly/", blank=True, max_length=200
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "giving_yearly_report"
        ordering = ["-year", "language", "-data_version"]
        verbose_name = _("yearly giving report")
        verbose_name_plural = _("yearly giving reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "language", "data_version"], name="giving_yearly_report_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="giving_yearly_progress_lte_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.language}, v{self.data_version})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
