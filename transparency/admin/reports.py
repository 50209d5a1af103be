"""Staff screens of the transparency app.

Yearly reports (this block): read-only reports with their board and documents, filters,
and the actions "publish" and "return with comments", which call the services (the
status never changes by editing a field). The review page of the portal is linked from
each report. Other parts of the app add their admin below this block.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from transparency.models import BoardMember, ReportDocument, TransparencyReport
from transparency.services import reports as report_services


class BoardMemberInline(admin.TabularInline):
    model = BoardMember
    extra = 0
    fields = ["name", "role", "ordering"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReportDocumentInline(admin.TabularInline):
    model = ReportDocument
    extra = 0
    fields = ["kind", "download", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("transparency:report_document", kwargs={"pk": obj.report_id, "doc_pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


def _run(modeladmin, request, queryset, action, done_text) -> None:
    done = 0
    for report in queryset.select_related("organization"):
        try:
            action(report)
        except (PermissionDenied, ValidationError) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            modeladmin.message_user(request, f"{report}: {text}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_text(done) % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Accept and publish the selected reports"))
def publish_selected(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        lambda report: report_services.report_publish(actor=request.user, report=report),
        lambda n: ngettext("%(count)d report published.", "%(count)d reports published.", n),
    )


class ReturnCommentsForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the organisation"), widget=forms.Textarea(attrs={"rows": 5, "cols": 80})
    )


@admin.action(description=_("Return the selected reports with comments"))
def return_selected(modeladmin, request, queryset):
    """Asks for the comments on an intermediate page, then returns each report."""
    form = ReturnCommentsForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        comments = form.cleaned_data["comments"]
        _run(
            modeladmin,
            request,
            queryset,
            lambda report: report_services.report_return(
                actor=request.user, report=report, comments=comments
            ),
            lambda n: ngettext("%(count)d report returned.", "%(count)d reports returned.", n),
        )
        return None
    return TemplateResponse(
        request,
        "transparency/report_admin_return.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Return reports with comments"),
            "opts": modeladmin.model._meta,
            "reports": queryset.select_related("organization"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.register(TransparencyReport)
class TransparencyReportAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "version", "status", "form_size", "submitted_at", "published_at"]
    list_select_related = ["organization"]
    list_filter = ["status", "year", "form_size"]
    search_fields = ["organization__name", "organization__registration_number"]
    date_hierarchy = "submitted_at"
    inlines = [BoardMemberInline, ReportDocumentInline]
    actions = [publish_selected, return_selected]
    ordering = ["-submitted_at", "-pk"]

    def get_readonly_fields(self, request, obj=None):
        # The report is the organisation's statement: staff publish or return it (with the
        # actions or on the review page), they do not edit it.
        names = [f.name for f in self.model._meta.fields if f.name != "id"]
        return ["review_page", *names, "municipalities"]

    @admin.display(description=_("review page"))
    def review_page(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("transparency:report_review", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Check, publish or return on the portal"))

    def has_add_permission(self, request):
        return False  # reports are started by organisations, pre-filled, on the portal

    def has_delete_permission(self, request, obj=None):
        return False  # published reports are public record; drafts stay with their organisation
