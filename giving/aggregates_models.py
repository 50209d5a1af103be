"""What the dashboard, the aggregates API and the yearly report read (imported at the end of
giving/models.py): the verified records as columns, stored per data version, and the yearly
PDFs. Derived data: `giving.aggregates.refresh()` writes the snapshots; nothing else does."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import private_storage

__all__ = ["GivingColumns", "GivingSummaryState", "GivingYearlyReport"]


class GivingSummaryState(models.Model):
    """A single row: the data version (bumped by every refresh, so caches and the yearly PDFs
    keyed on it are regenerated), when it was refreshed and the records' signature then."""

    version = models.PositiveBigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    records_signature = models.CharField(max_length=120, blank=True)

    class Meta:
        db_table = "giving_summary_state"
        verbose_name = _("giving summary state")
        verbose_name_plural = _("giving summary state")

    def __str__(self) -> str:
        return f"v{self.version}"


class GivingColumns(models.Model):
    """The verified records as columns (giving.columns), stored by every refresh for its data
    version: each process loads the newest once (`token` tells it whether it has it). The last
    two versions are kept, so a process that read the version just before a refresh can still
    load it."""

    version = models.PositiveBigIntegerField(unique=True)
    token = models.CharField(max_length=32, unique=True)
    rows = models.PositiveIntegerField()
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "giving_columns"
        verbose_name = _("giving columns snapshot")
        verbose_name_plural = _("giving columns snapshots")

    def __str__(self) -> str:
        return f"v{self.version} · {self.rows}"


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
