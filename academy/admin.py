"""Admin for KCSF staff: cohorts (curriculum, rubric, facilitators, mentors), applications
(read-mostly: statuses move only through the services), reviews, sessions, attendance,
mentor notes and projects."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from academy.models import (
    ApplicationReview,
    ApplicationScore,
    AssessmentArea,
    AssessmentQuestion,
    Attendance,
    Cohort,
    CohortApplication,
    CohortCriterion,
    CommunityProject,
    MentorNote,
    Module,
    ProjectComment,
    SelfAssessment,
    Session,
    Training,
)


class CriterionInline(admin.TabularInline):
    model = CohortCriterion
    extra = 0


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "title_sq", "title_sr", "title_en"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title_sq", "year", "status", "places", "starts_on", "applications_close_at"]
    list_filter = ["status", "year"]
    search_fields = ["title_sq", "title_sr", "title_en"]
    filter_horizontal = ["municipalities", "facilitators", "mentors"]
    readonly_fields = ["status"]  # moves through the staff page (academy.workflow.COHORT)
    inlines = [CriterionInline, ModuleInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "starts_at", "facilitator"]
    list_filter = ["cohort"]
    list_select_related = ["module", "facilitator"]
    raw_id_fields = ["facilitator"]
    search_fields = ["title"]


class ReviewInline(admin.TabularInline):
    model = ApplicationReview
    extra = 0
    fields = ["reviewer", "status", "weighted_score", "submitted_at"]
    readonly_fields = fields
    can_delete = False


class CohortApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = CohortApplication
        fields = ["mentor"]  # the admin adds the rest it shows

    def clean_mentor(self):
        """A participant's mentor is one of the cohort's mentors (Cohort.mentors)."""
        mentor = self.cleaned_data.get("mentor")
        cohort = self.instance.cohort if self.instance.cohort_id else None
        if mentor is not None and cohort is not None and not cohort.mentors.filter(pk=mentor.pk).exists():
            raise forms.ValidationError(
                _("Choose one of the cohort's mentors (add the person to the cohort's mentors first)."),
                code="not_a_cohort_mentor",
            )
        return mentor


@admin.register(CohortApplication)
class CohortApplicationAdmin(admin.ModelAdmin):
    form = CohortApplicationAdminForm
    list_display = ["reference", "applicant", "cohort", "status", "average_score", "waiting_rank", "mentor"]
    list_filter = ["cohort", "status"]
    list_select_related = ["applicant", "cohort", "mentor"]
    search_fields = ["reference", "applicant__email", "applicant__full_name"]
    raw_id_fields = ["applicant", "mentor"]
    # Statuses, numbers and decisions move only through the services (academy.workflow).
    readonly_fields = [
        "cohort",
        "applicant",
        "reference",
        "status",
        "submitted_at",
        "average_score",
        "reviews_done",
        "waiting_rank",
        "decided_at",
        "decided_by",
        "offer_expires_at",
        "responded_at",
        "alumni_listed",  # the participant opts in and out themselves
        "alumni_listed_at",
    ]
    inlines = [ReviewInline]

    def has_add_permission(self, request):
        return False


class ScoreInline(admin.TabularInline):
    model = ApplicationScore
    extra = 0
    readonly_fields = ["criterion", "score", "comment"]
    can_delete = False


@admin.register(ApplicationReview)
class ApplicationReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "status", "weighted_score"]
    list_filter = ["status", "application__cohort"]
    list_select_related = ["application", "reviewer"]
    readonly_fields = [
        "application",
        "reviewer",
        "assigned_by",
        "status",
        "coi_declared_at",
        "coi_note",
        "comment",
        "weighted_score",
        "submitted_at",
    ]
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "participant", "present", "marked_by", "marked_at"]
    list_filter = ["session__cohort", "present"]
    list_select_related = ["session", "participant", "marked_by"]
    raw_id_fields = ["session", "participant", "marked_by"]


@admin.register(MentorNote)
class MentorNoteAdmin(admin.ModelAdmin):
    list_display = ["participant", "author", "kind", "met_on"]
    list_select_related = ["participant", "author"]
    raw_id_fields = ["participant", "author"]


class CommentInline(admin.TabularInline):
    model = ProjectComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(CommunityProject)
class CommunityProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "peers_mobilised"]
    list_filter = ["cohort"]
    search_fields = ["title"]
    filter_horizontal = ["members"]
    inlines = [CommentInline]


# --- CSO capacity trainings, self-assessment, community mapping --------------------------------
# Trainings are set up on the staff pages (academy:staff_trainings), where the services check
# the dates and places; the questionnaire of the self-assessment is kept here, as data.


class AssessmentQuestionInline(admin.TabularInline):
    model = AssessmentQuestion
    extra = 1
    fields = ["order", "text_sq", "text_sr", "text_en", "is_active"]


@admin.register(AssessmentArea)
class AssessmentAreaAdmin(admin.ModelAdmin):
    list_display = ["name_sq", "name_sr", "name_en", "order"]
    ordering = ["order", "pk"]
    inlines = [AssessmentQuestionInline]


@admin.register(AssessmentQuestion)
class AssessmentQuestionAdmin(admin.ModelAdmin):
    list_display = ["text_sq", "area", "order", "is_active"]
    list_filter = ["area", "is_active"]
    search_fields = ["text_sq", "text_sr", "text_en"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title_sq", "topic", "starts_at", "places"]
    list_filter = ["topic"]
    search_fields = ["title_sq", "title_sr", "title_en"]
    readonly_fields = ["created_by"]

    def has_add_permission(self, request):
        return False  # through the staff page, whose service checks the window and places


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["organization", "kind", "submitted_at"]
    list_filter = ["kind"]
    search_fields = ["organization__name"]
    list_select_related = ["organization"]

    def has_change_permission(self, request, obj=None):
        return False
