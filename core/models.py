"""Shared base models and reference data used by every app."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Storage for files that are never served by a public URL."""
    return storages["private"]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedNameMixin(models.Model):
    """Reference data named in the three languages of the portal."""

    name_sq = models.CharField(_("name (Albanian)"), max_length=120)
    name_sr = models.CharField(_("name (Serbian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "sq").lower()
        if lang.startswith("sr"):
            return self.name_sr
        if lang.startswith("en"):
            return self.name_en
        return self.name_sq


class Municipality(TranslatedNameMixin):
    """One of the 38 municipalities of Kosovo (loaded by a data migration)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name_sq"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")


class Sector(TranslatedNameMixin):
    """A sector / cause of civil-society work (taxonomy shared by all apps)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)

    class Meta:
        ordering = ["ordering", "name_en"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class ReportJob(TimeStampedModel):
    """A report or export produced in the background, with progress.

    Generators are registered by name in `core.reports`; the task fills `file` in
    private storage, which is only served to the person who asked (or staff).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("report"), max_length=80)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="sq")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("requested by"),
        help_text=_("Empty for a visitor's export of public data (fetched by a signed link)."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "running", "done", "failed"]),
                name="core_reportjob_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="core_reportjob_progress_lte_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class EmailOutbox(TimeStampedModel):
    """An email waiting to be sent by a Celery task.

    Rows are written inside the caller's transaction, so a broker outage never loses
    a message: `email_outbox_flush` (Celery beat) re-sends what is still pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(pgettext_lazy("email recipient", "to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # An attachment built when the email is sent: `builder(*args) -> bytes` (a dotted path),
    # so a slow PDF is rendered by the worker, never in the request.
    attachment_name = models.CharField(_("attachment"), max_length=120, blank=True)
    attachment_builder = models.CharField(max_length=120, blank=True)
    attachment_args = models.JSONField(default=list, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class StatusChange(models.Model):
    """One move of any object through its workflow (`core.workflow`): who, when, from
    what, to what and why. The one audit row of every app's status changes."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    subject = GenericForeignKey("content_type", "object_id")  # the object that moved
    workflow = models.CharField(_("workflow"), max_length=60)
    from_status = models.CharField(pgettext_lazy("status change", "from"), max_length=30)
    to_status = models.CharField(pgettext_lazy("status change", "to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.workflow}: {self.from_status} → {self.to_status}"


class IdempotencyKey(TimeStampedModel):
    """A client's `Idempotency-Key` for a write (`core.api.idempotency`): a retried request
    gets the first answer back instead of doing the write twice; the same key with another
    body is refused. `client` names who sent it (e.g. "token:42"), so keys of two clients
    never meet."""

    client = models.CharField(_("client"), max_length=80)
    scope = models.CharField(_("endpoint"), max_length=80)
    key = models.CharField(_("key"), max_length=255)
    request_hash = models.CharField(max_length=64)
    # Empty while the first request is still running (a second one then gets 409).
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["client", "scope", "key"], name="core_idempotencykey_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class JobDispatch(TimeStampedModel):
    """The last task sent for a background job (`core.jobs`): written with the job's row, so
    that beat can send the same task with the same arguments again when the first send was
    lost (the broker was down or restarted) and the job is still waiting."""

    job = models.CharField(_("job"), max_length=120, unique=True)  # "<kind>:<id>"
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)

    class Meta:
        verbose_name = _("background job dispatch")
        verbose_name_plural = _("background job dispatches")

    def __str__(self) -> str:
        return f"{self.job} → {self.task}"


class SentReminder(models.Model):
    """A reminder that went out (`core.reminders`): the unique key makes every reminder go
    once per kind, object and person, whichever app sends it. `kind` is namespaced by the
    app ("grants.call_closing", "volunteering.hours_unconfirmed"); `object_id` names the
    object the reminder is about (an app may encode a version in it, e.g. a deadline)."""

    kind = models.CharField(_("kind"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("object"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "user"], name="core_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} → {self.user_id}"


class Certificate(models.Model):
    """A certificate the portal issued (`core.certificates`): what it states about its holder,
    checked by anyone at the public verification page with its code. The app that issues a
    kind of certificate registers the text of that kind; the facts are kept as issued."""

    code = models.CharField(_("verification code"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("holder's account"),
    )
    language = models.CharField(_("language"), max_length=10, default="sq")
    facts = models.JSONField(_("what it states"), default=dict)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("content_type", "object_id")  # what it was issued for
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason of the revocation"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.holder_name})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
