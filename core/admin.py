from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reports, services
from core.admin_actions import export_as_csv
from core.models import Certificate, EmailOutbox, Municipality, ReportJob, Sector, SentReminder


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """The 38 municipalities come from a data migration: names may be corrected, the
    list itself is fixed."""

    list_display = ["name_sq", "name_sr", "name_en", "slug"]
    search_fields = ["name_sq", "name_sr", "name_en", "slug"]
    readonly_fields = ["slug"]
    actions = [export_as_csv]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name_sq", "name_sr", "name_en", "slug", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name_sq", "name_sr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    actions = [export_as_csv]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by the export buttons and filled by the task."""

    list_display = [
        "created_at",
        "report_title",
        "format",
        "requested_by",
        "status",
        "progress",
        "rows_done",
        "rows_total",
        "finished_at",
    ]
    list_filter = ["status", "format", "kind", "language", "created_at"]
    search_fields = ["kind", "requested_by__email"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    fields = [
        "id",
        "kind",
        "format",
        "language",
        "params",
        "requested_by",
        "status",
        "progress",
        "rows_done",
        "rows_total",
        "download",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    csv_export_fields = [
        "created_at",
        "kind",
        "format",
        "requested_by",
        "status",
        "rows_done",
        "started_at",
        "finished_at",
        "error",
    ]
    actions = [export_as_csv]

    @admin.display(description=_("report"), ordering="kind")
    def report_title(self, obj):
        return reports.title_of(obj.kind)

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ReportJob.Status.DONE or not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("core:report_download", args=[obj.pk]), _("Download")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        obj.file.delete(save=False)  # the private file goes with its row
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for job in queryset.exclude(file=""):
            job.file.delete(save=False)
        super().delete_queryset(request, queryset)


@admin.action(description=_("Send again (failed or pending emails)"))
def resend_emails(modeladmin, request, queryset):
    count = services.email_outbox_resend(messages=queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d email queued to be sent again.", "%(count)d emails queued to be sent again.", count
        )
        % {"count": count},
        messages.SUCCESS if count else messages.WARNING,
    )


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin):
    """Outgoing emails. Not editable; failed or pending ones can be sent again."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "created_at", "sent_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "body_text",
        "body_html",
    ]
    readonly_fields = fields
    csv_export_fields = ["created_at", "to", "subject", "status", "attempts", "sent_at", "last_error"]
    actions = [resend_emails, export_as_csv]

    def has_add_permission(self, request):
        return False


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """Reminders that went out (`core.reminders`); a row here is why one will not go again."""

    list_display = ["kind", "object_id", "user", "sent_at"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    search_fields = ["user__email", "kind"]
    date_hierarchy = "sent_at"
    readonly_fields = ["kind", "object_id", "user", "sent_at"]
    actions = [export_as_csv]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued by the apps; staff look them up and may revoke one."""

    list_display = ["code", "kind", "holder_name", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["code", "holder_name", "holder__email"]
    readonly_fields = [
        "code",
        "kind",
        "holder_name",
        "holder",
        "language",
        "facts",
        "content_type",
        "object_id",
        "issued_at",
    ]
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected certificates"))
    def revoke_selected(self, request, queryset):
        from core import certificates

        for certificate in queryset.filter(revoked_at__isnull=True):
            certificates.revoke(certificate=certificate, reason=str(_("Revoked by KCSF staff")))
