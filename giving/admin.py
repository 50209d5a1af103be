"""Staff screens of the giving tracker: records (with history, moderation actions that
call the services, CSV export) and a read-only list of imports."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import export_as_csv
from giving.aggregates import refresh_on_commit
from giving.choices import DIASPORA_DONOR_TYPES, Geography, Status
from giving.models import GivingRecord, ImportBatch, validate_gift_date
from giving.services import records as services


class RejectReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


def _bulk(modeladmin, request, queryset, *, action: str, reason: str = "") -> None:
    try:
        done, skipped = services.records_bulk_moderate(
            actor=request.user, ids=list(queryset.values_list("pk", flat=True)), action=action, reason=reason
        )
    except (PermissionDenied, ValidationError) as exc:
        modeladmin.message_user(request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
        return
    if done:
        text = (
            ngettext("%(count)d record verified.", "%(count)d records verified.", len(done))
            if action == services.VERIFY
            else ngettext("%(count)d record rejected.", "%(count)d records rejected.", len(done))
        )
        modeladmin.message_user(request, text % {"count": len(done)}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d record was skipped: it is not waiting for moderation.",
                "%(count)d records were skipped: they are not waiting for moderation.",
                len(skipped),
            )
            % {"count": len(skipped)},
            messages.WARNING,
        )


@admin.action(description=_("Verify selected records"), permissions=["change"])
def verify_selected(modeladmin, request, queryset):
    _bulk(modeladmin, request, queryset, action=services.VERIFY)


@admin.action(description=_("Reject selected records (with a reason)"), permissions=["change"])
def reject_selected(modeladmin, request, queryset):
    """First asks for the reason on an intermediate page, then rejects."""
    form = RejectReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        _bulk(modeladmin, request, queryset, action=services.REJECT, reason=form.cleaned_data["reason"])
        return None
    return render(
        request,
        "giving/moderation_admin_reject.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reject giving records"),
            "form": form,
            "records": queryset,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


class GivingRecordAdminForm(forms.ModelForm):
    source_url = forms.URLField(label=_("source link"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = GivingRecord
        fields = [*services.EDITABLE_FIELDS, "source", "entered_for"]

    def clean_date(self):
        date = self.cleaned_data.get("date")
        validate_gift_date(date)
        return date

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("donor_type") in DIASPORA_DONOR_TYPES and not cleaned.get("donor_country"):
            self.add_error(
                "donor_country", _("For a diaspora donor, choose the country where the donor lives.")
            )
        return cleaned


@admin.register(GivingRecord)
class GivingRecordAdmin(SimpleHistoryAdmin):
    list_display = [
        "date",
        "amount",
        "donor_type",
        "recipient_type",
        "cause",
        "municipality",
        "status",
        "confidence",
        "source",
        "created_at",
    ]
    list_select_related = ["municipality"]
    list_filter = [
        "status",
        "confidence",
        "source",
        "donor_type",
        "is_diaspora",
        "recipient_type",
        "cause",
        "support_kind",
        "geography",
        "effect",
        ("possible_duplicate_of", admin.EmptyFieldListFilter),
        "municipality",
    ]
    search_fields = [
        "donor_name",
        "recipient_name",
        "description",
        "donor_organization__name",
        "recipient_organization__name",
    ]
    date_hierarchy = "date"
    autocomplete_fields = ["donor_organization", "recipient_organization", "entered_for"]
    raw_id_fields = ["entered_by", "reviewed_by", "possible_duplicate_of"]
    actions = [verify_selected, reject_selected, export_as_csv]
    csv_export_fields = [
        "date",
        "amount",
        "support_kind",
        "donor_type",
        "is_diaspora",
        "donor_country",
        "diaspora_channel",
        "recipient_type",
        "recipient_organization",
        "cause",
        "beneficiary_group",
        "geography",
        "municipality",
        "recurrence",
        "effect",
        "source",
        "source_url",
        "status",
        "confidence",
        "created_at",
    ]
    # Status, confidence and the derived fields change only through the services.
    readonly_fields = [
        "status",
        "rejection_reason",
        "confidence",
        "is_diaspora",
        "fingerprint",
        "confirmed_by_donor_at",
        "confirmed_by_recipient_at",
        "entered_by",
        "reviewed_by",
        "reviewed_at",
        "possible_duplicate_of",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["date", "amount", "support_kind"]}),
        (
            _("Donor"),
            {
                "fields": [
                    "donor_type",
                    "donor_name",
                    "donor_name_public",
                    "donor_organization",
                    "is_diaspora",
                    "donor_country",
                    "diaspora_channel",
                ]
            },
        ),
        (_("Recipient"), {"fields": ["recipient_type", "recipient_name", "recipient_organization"]}),
        (
            _("What, for whom, where"),
            {
                "fields": [
                    "cause",
                    "beneficiary_group",
                    "geography",
                    "municipality",
                    "recurrence",
                    "effect",
                    "description",
                ]
            },
        ),
        (
            _("Provenance and trust"),
            {
                "fields": [
                    "source",
                    "source_url",
                    "entered_by",
                    "entered_for",
                    "status",
                    "rejection_reason",
                    "reviewed_by",
                    "reviewed_at",
                    "confidence",
                    "confirmed_by_donor_at",
                    "confirmed_by_recipient_at",
                    "fingerprint",
                    "possible_duplicate_of",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # records are added through the portal's form, the import or the API

    form = GivingRecordAdminForm

    def save_model(self, request, obj, form, change):
        """An edit in the admin keeps the derived fields right (diaspora flag, confidence,
        fingerprint) as every other path does."""
        obj.is_diaspora = obj.donor_type in DIASPORA_DONOR_TYPES
        if obj.geography != Geography.MUNICIPALITY:
            obj.municipality = None
        obj.confidence = services.compute_confidence(obj)
        obj.fingerprint = services.record_fingerprint(
            {f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields}
        )
        super().save_model(request, obj, form, change)
        if obj.status == Status.VERIFIED or (change and form.initial.get("status") == Status.VERIFIED):
            dates = {obj.date}
            if change and form.initial.get("date"):
                dates.add(form.initial["date"])
            refresh_on_commit(sorted(dates))  # the public dashboard counts verified records


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "uploaded_by",
        "entered_for",
        "state",
        "rows_total",
        "rows_valid",
        "rows_duplicate",
        "rows_imported",
        "created_at",
    ]
    list_filter = ["state"]
    list_select_related = ["uploaded_by", "entered_for"]
    search_fields = ["file_name", "file_hash", "uploaded_by__email"]
    exclude = ["payload"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "payload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
