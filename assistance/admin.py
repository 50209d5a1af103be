"""Admin of the help desk: experts, target answer times (kept as data), requests (read
mostly: moves go through the staff pages), knowledge-base entries."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assistance.choices import Category, Language
from assistance.models import (
    Attachment,
    Expert,
    HelpRequest,
    KnowledgeEntry,
    MentoringSeries,
    MentoringSession,
    Message,
    Rating,
    TargetTime,
)


class ExpertForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Expert
        fields = ["user", "organization", "categories", "languages", "active"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    form = ExpertForm
    list_display = ["__str__", "organization", "active"]
    list_filter = ["active"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization"]


@admin.register(TargetTime)
class TargetTimeAdmin(admin.ModelAdmin):
    list_display = ["category", "urgency", "working_days"]
    list_editable = ["working_days"]
    list_filter = ["category", "urgency"]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["author", "body", "created_at"]
    can_delete = False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "file_type", "size", "uploaded_by"]
    readonly_fields = fields
    can_delete = False


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "category", "urgency", "status", "expert", "due_on", "submitted_at"]
    list_filter = ["status", "category", "urgency", "language"]
    search_fields = ["reference", "title", "requester__email", "organization__name"]
    list_select_related = ["expert__user"]
    readonly_fields = [
        "reference",
        "requester",
        "organization",
        "status",
        "expert",
        "submitted_at",
        "assigned_at",
        "answered_at",
        "closed_at",
        "consent_to_publish",
        "consent_changed_at",
    ]
    inlines = [MessageInline, AttachmentInline]

    def has_add_permission(self, request):
        return False  # requests come from the "ask for help" form


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["request", "score", "solved", "created_at"]
    list_filter = ["score", "solved"]
    readonly_fields = ["request", "score", "solved", "comment", "rated_by"]


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "published", "helpful_yes", "helpful_no", "published_at"]
    list_filter = ["published", "category"]
    search_fields = ["question_sq", "question_sr", "question_en"]
    readonly_fields = ["source_request", "helpful_yes", "helpful_no", "published_at", "published_by"]


class MentoringSessionInline(admin.TabularInline):
    model = MentoringSession
    fields = ["planned_on", "topic", "held_on", "logged_by"]
    readonly_fields = ["held_on", "logged_by"]
    extra = 0
    show_change_link = True


@admin.register(MentoringSeries)
class MentoringSeriesAdmin(admin.ModelAdmin):
    """Series are opened and moved on the staff pages (history); here they are corrected."""

    list_display = ["topic", "organization", "mentor", "started_on", "status"]
    list_filter = ["status"]
    search_fields = ["topic", "organization__name", "mentor__user__email", "mentor__user__full_name"]
    autocomplete_fields = ["mentor", "organization"]
    readonly_fields = ["status", "created_by"]
    list_select_related = ["organization", "mentor__user"]
    inlines = [MentoringSessionInline]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "series", "planned_on", "held_on"]
    list_filter = ["held_on"]
    search_fields = ["topic", "series__topic", "series__organization__name"]
    autocomplete_fields = ["series"]
    readonly_fields = ["logged_by"]
    list_select_related = ["series__organization"]
