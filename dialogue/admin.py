"""Admin of dialogue for KCSF staff. Statuses are read-only here: they change through the
services (core.workflow writes the history); comments are moderated with the actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy, ngettext

from dialogue.choices import CommentStatus
from dialogue.models import (
    AgendaItem,
    Commitment,
    CommitmentComment,
    Consultation,
    ConsultationComment,
    ConsultationSection,
    DigestSubscription,
    Event,
    EventFollowUp,
    EventSector,
    Partnership,
    Registration,
    TrustAnswer,
)
from dialogue.services import commitments as commitment_services


class EventSectorInline(admin.TabularInline):
    model = EventSector
    extra = 0


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title_sq", "kind", "starts_at", "municipality", "organization", "status"]
    list_filter = ["status", "kind", "topic"]
    list_select_related = ["municipality", "organization"]
    search_fields = ["title_sq", "title_sr", "title_en"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organization"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [EventSectorInline, AgendaItemInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "event", "sector", "status", "waiting_position", "checked_in_at"]
    list_filter = ["status", "sector__audience"]
    list_select_related = ["event", "sector"]
    search_fields = ["name", "email", "code", "event__title_sq"]
    readonly_fields = ["code", "status", "waiting_position", "checked_in_at", "checked_in_by", "created_at"]
    raw_id_fields = ["event", "sector", "user", "organization"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organization", "event", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["organization", "event"]
    search_fields = ["what", "organization__name"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["event", "organization"]


def _moderate(modeladmin, request, queryset, status):
    count = 0
    for comment in queryset.filter(status=CommentStatus.PENDING):
        commitment_services.comment_moderate(comment=comment, actor=request.user, status=status)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d comment moderated.", "%(count)d comments moderated.", count) % {"count": count},
    )


@admin.action(description=gettext_lazy("Publish the selected comments"))
def approve_comments(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, CommentStatus.APPROVED)


@admin.action(description=gettext_lazy("Do not publish the selected comments"))
def reject_comments(modeladmin, request, queryset):
    _moderate(modeladmin, request, queryset, CommentStatus.REJECTED)


@admin.register(CommitmentComment)
class CommitmentCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "commitment", "author", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["commitment", "author"]
    readonly_fields = ["commitment", "author", "status", "moderated_by", "moderated_at", "created_at"]
    actions = [approve_comments, reject_comments]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "started_on", "status"]
    list_filter = ["status"]
    search_fields = ["name", "goal"]
    autocomplete_fields = ["members"]
    filter_horizontal = ["events", "commitments"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]


@admin.register(TrustAnswer)
class TrustAnswerAdmin(admin.ModelAdmin):
    """Read-only: answers are given by participants; staff see them, never change them."""

    list_display = ["event", "moment", "created_at"]
    list_filter = ["moment"]
    list_select_related = ["event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsultationSectionInline(admin.StackedInline):
    model = ConsultationSection
    extra = 0
    ordering = ["position"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title_sq", "organization", "opens_at", "closes_at", "status"]
    list_filter = ["status"]
    list_select_related = ["organization"]
    search_fields = ["title_sq", "title_sr", "title_en"]
    date_hierarchy = "opens_at"
    autocomplete_fields = ["organization"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [ConsultationSectionInline]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ConsultationComment)
class ConsultationCommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "author", "created_at", "verdict"]
    list_filter = ["verdict", "section__consultation__status"]
    list_select_related = ["section", "author"]
    search_fields = ["body", "reason"]
    readonly_fields = ["verdict", "reason", "answered_by", "answered_at", "created_at", "updated_at"]
    raw_id_fields = ["section", "author"]


@admin.register(EventFollowUp)
class EventFollowUpAdmin(admin.ModelAdmin):
    """After-event minutes and reports; documents and photos are added on the organiser's page
    (their content is checked there). Publishing and its email are done by the service."""

    list_display = ("event", "kind", "published_at", "notified_at")
    list_filter = ("kind",)
    search_fields = ("event__title_sq", "event__title_en", "event__title_sr")
    raw_id_fields = ("event",)
    readonly_fields = ("published_at", "published_by", "notified_at", "updated_by")


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "last_sent_at")
    list_filter = ("frequency",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("last_sent_at", "since")
