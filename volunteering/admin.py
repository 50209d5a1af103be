"""Admin of volunteering: the skill taxonomy (kept by KCSF staff), and the profiles,
opportunities, applications, engagements and hours, to look up and correct."""

from django.contrib import admin

from volunteering.models import (
    Application,
    Engagement,
    ExpertFeedback,
    HoursEntry,
    Opportunity,
    OpportunitySkill,
    ProfileLanguage,
    SavedOpportunity,
    Skill,
    VolunteerProfile,
)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_sq", "name_sr", "slug", "ordering"]
    list_editable = ["ordering"]
    search_fields = ["name_en", "name_sq", "name_sr", "slug"]
    prepopulated_fields = {"slug": ("name_en",)}


class ProfileLanguageInline(admin.TabularInline):
    model = ProfileLanguage
    extra = 0


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "municipality",
        "country",
        "expertise",
        "visibility",
        "contact_consent",
        "updated_at",
    ]
    list_filter = ["contact_consent", "visibility", "work_mode", "expertise"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills"]
    readonly_fields = ["consent_given_at", "consent_withdrawn_at", "utc_offset"]
    inlines = [ProfileLanguageInline]


class OpportunitySkillInline(admin.TabularInline):
    model = OpportunitySkill
    extra = 0


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "kind", "status", "places", "places_filled", "deadline"]
    list_filter = ["status", "kind", "remote"]
    search_fields = ["title", "organization__name"]
    raw_id_fields = ["organization", "created_by"]
    # Statuses move only through the services (core.workflow).
    readonly_fields = ["status", "places_filled", "published_at", "closed_at"]
    inlines = [OpportunitySkillInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["profile", "opportunity", "origin", "status", "created_at"]
    list_filter = ["status", "origin"]
    search_fields = ["profile__user__email", "opportunity__title"]
    raw_id_fields = ["profile", "opportunity", "invited_by", "decided_by"]
    readonly_fields = ["status", "decided_at"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    list_display = ["profile", "opportunity", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["application", "profile", "opportunity"]
    readonly_fields = ["status", "ended_at"]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["engagement", "date", "hours", "status"]
    list_filter = ["status"]
    raw_id_fields = ["engagement", "confirmed_by"]
    readonly_fields = ["status", "confirmed_by", "confirmed_at"]


@admin.register(SavedOpportunity)
class SavedOpportunityAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "user", "created_at"]
    raw_id_fields = ["user", "opportunity"]
    search_fields = ["opportunity__title", "user__email"]


@admin.register(ExpertFeedback)
class ExpertFeedbackAdmin(admin.ModelAdmin):
    list_display = ["engagement", "side", "author", "outcome", "rating", "would_work_again", "created_at"]
    list_filter = ["side", "outcome", "rating"]
    raw_id_fields = ["engagement", "author"]
