"""Admin of public-funding records, the Strategy's objectives and measures, and comment moderation."""

from django import forms as _forms
from django.contrib import admin as _admin
from django.contrib import messages as _messages
from django.core.exceptions import ValidationError as _ValidationError
from django.core.validators import URLValidator as _URLValidator
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin as _SimpleHistoryAdmin

from core.admin_actions import export_as_csv as _export_as_csv
from transparency.models import (
    MeasureComment,
    PublicFundingRecord,
    StrategyMeasure,
    StrategyObjective,
)
from transparency.services import funding as _funding
from transparency.services import strategy as _strategy


class PublicFundingRecordAdminForm(_forms.ModelForm):
    class Meta:
        model = PublicFundingRecord
        fields = [
            "institution",
            "recipient",
            "recipient_name",
            "year",
            "amount",
            "programme",
            "procedure",
            "call_published",
            "results_published",
            "recipient_reported",
            "source",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        institution = cleaned.get("institution")
        if institution is not None and institution.kind != "public":
            self.add_error(
                "institution",
                gettext_lazy("The granting institution must be a public institution of the registry."),
            )
        if not (cleaned.get("recipient_name") or "").strip() and cleaned.get("recipient") is not None:
            cleaned["recipient_name"] = cleaned["recipient"].name
            self.instance.recipient_name = cleaned["recipient_name"]
        return cleaned


@_admin.register(PublicFundingRecord)
class PublicFundingRecordAdmin(_SimpleHistoryAdmin):
    form = PublicFundingRecordAdminForm
    list_display = [
        "year",
        "institution",
        "recipient_name",
        "recipient",
        "amount",
        "procedure",
        "call_published",
        "results_published",
        "recipient_reported",
        "source",
    ]
    list_select_related = ["institution", "recipient"]
    list_filter = ["year", "procedure", "source", "call_published", "results_published", "recipient_reported"]
    search_fields = [
        "recipient_name",
        "recipient__name",
        "recipient__registration_number",
        "institution__name",
        "programme",
    ]
    raw_id_fields = ["institution", "recipient"]
    readonly_fields = ["entered_by", "fingerprint", "created_at", "updated_at"]
    actions = [_export_as_csv]
    csv_export_fields = [
        "year",
        "institution",
        "recipient_name",
        "recipient",
        "amount",
        "programme",
        "procedure",
        "call_published",
        "results_published",
        "recipient_reported",
        "source",
        "notes",
        "created_at",
    ]

    def save_model(self, request, obj, form, change):
        if not change and obj.entered_by_id is None:
            obj.entered_by = request.user
        obj.fingerprint = _funding._fingerprint_of(obj)  # edits keep the duplicate check right
        super().save_model(request, obj, form, change)


class EvidenceLinksField(_forms.CharField):
    """The measure's evidence links (a JSON list) as a textarea, one URL a line."""

    widget = _forms.Textarea(attrs={"rows": 4, "cols": 80})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value or ""

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        validate_url = _URLValidator(schemes=["http", "https"])
        bad = []
        for link in value:
            try:
                validate_url(link)
            except _ValidationError:
                bad.append(link)
        if bad:
            raise _ValidationError(
                gettext_lazy("Not a web address (http or https): %(links)s"), params={"links": ", ".join(bad)}
            )


class StrategyMeasureAdminForm(_forms.ModelForm):
    evidence_links = EvidenceLinksField(
        label=gettext_lazy("evidence links"),
        required=False,
        help_text=gettext_lazy("One web address (https://…) a line."),
    )

    class Meta:
        model = StrategyMeasure
        fields = [
            "objective",
            "code",
            "title_sq",
            "title_sr",
            "title_en",
            "responsible_institution",
            "deadline",
            "indicator",
            "status",
            "progress_note",
            "evidence_links",
        ]


class StrategyMeasureInline(_admin.StackedInline):
    model = StrategyMeasure
    form = StrategyMeasureAdminForm
    extra = 0
    fields = [
        "code",
        ("title_sq", "title_sr", "title_en"),
        ("responsible_institution", "deadline", "status"),
        "indicator",
        "progress_note",
        "evidence_links",
    ]
    raw_id_fields = ["responsible_institution"]
    show_change_link = True


@_admin.register(StrategyObjective)
class StrategyObjectiveAdmin(_admin.ModelAdmin):
    list_display = ["code", "title_sq", "title_en", "ordering", "measure_count"]
    search_fields = ["code", "title_sq", "title_sr", "title_en"]
    ordering = ["ordering", "code"]
    inlines = [StrategyMeasureInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_measures=Count("measures"))

    @_admin.display(description=gettext_lazy("measures"), ordering="_measures")
    def measure_count(self, obj):
        return obj._measures


@_admin.register(StrategyMeasure)
class StrategyMeasureAdmin(_SimpleHistoryAdmin):
    form = StrategyMeasureAdminForm
    list_display = ["code", "title_sq", "objective", "responsible_institution", "deadline", "status"]
    list_select_related = ["objective", "responsible_institution"]
    list_filter = ["status", "objective", "deadline"]
    search_fields = ["code", "title_sq", "title_sr", "title_en", "responsible_institution__name"]
    raw_id_fields = ["responsible_institution"]
    actions = [_export_as_csv]
    csv_export_fields = [
        "code",
        "title_sq",
        "objective",
        "responsible_institution",
        "deadline",
        "status",
        "indicator",
    ]


def _moderate(modeladmin, request, queryset, action):
    done = _strategy.comments_moderate(
        actor=request.user, ids=list(queryset.values_list("pk", flat=True)), action=action
    )
    text = (
        ngettext("%(count)d comment approved.", "%(count)d comments approved.", done)
        if action == "approve"
        else ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", done)
    )
    modeladmin.message_user(request, text % {"count": done}, _messages.SUCCESS)


@_admin.action(description=gettext_lazy("Approve selected comments"), permissions=["change"])
def approve_comments(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, "approve")


@_admin.action(description=gettext_lazy("Reject selected comments"), permissions=["change"])
def reject_comments(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, "reject")


@_admin.register(MeasureComment)
class MeasureCommentAdmin(_admin.ModelAdmin):
    list_display = ["measure", "author", "organization", "status", "created_at", "moderated_by"]
    list_select_related = ["measure", "author", "organization", "moderated_by"]
    list_filter = ["status", "created_at"]
    search_fields = ["body", "author__email", "measure__code", "organization__name"]
    raw_id_fields = ["measure", "author", "organization"]
    readonly_fields = ["moderated_by", "moderated_at", "created_at", "updated_at"]
    actions = [approve_comments, reject_comments, _export_as_csv]
