"""Staff screens of grants.

Calls are built here — a form builder, not code: the call with its eligibility rules and
dates, and inlines for the questions of its application form, the rubric, the required
attachments and the public documents. The forms check what the database constraints
would otherwise refuse with an unreadable message, and what the constraints cannot see
(options of choice questions, stages of one-stage calls).

Everything else (applications, reviews, grants, tranches, reports, reminders, reference
counters) is read-only here: every state change goes through the services, on the portal's
staff pages, so the status history and the emails are never skipped.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from core import workflow as workflows
from core.admin_actions import export_as_csv
from core.models import StatusChange as CoreStatusChange
from grants.choices import ApplicantType, ApplicationStatus, QuestionKind, Stage
from grants.models import (
    Application,
    Attachment,
    AttachmentRequirement,
    BudgetLine,
    Call,
    CallDocument,
    Criterion,
    Grant,
    GrantReport,
    GroupMember,
    Message,
    PlannedActivity,
    Question,
    ReferenceCounter,
    ReviewAssignment,
    Revision,
    Score,
    Tranche,
)

LANGS = ("sq", "sr", "en")


def _options(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- who uses these screens -----------------------------------------------------------------


class KcsfStaffMixin:
    """KCSF staff (`grants.manage_call` / `grants.manage_grant` in grants.rules: active staff)
    use these screens without model permissions handed out one by one; superusers and users
    given the model permissions keep them too."""

    staff_perm = "grants.manage_grant"

    def _kcsf(self, request) -> bool:
        return request.user.has_perm(self.staff_perm)

    def has_module_permission(self, request):
        return self._kcsf(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._kcsf(request) or super().has_view_permission(request, obj)


class KcsfEditMixin(KcsfStaffMixin):
    """Staff build calls here: add, change and delete (the database still protects a call
    that has applications)."""

    staff_perm = "grants.manage_call"

    def has_add_permission(self, request, *args):
        return self._kcsf(request) or super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._kcsf(request) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._kcsf(request) or super().has_delete_permission(request, obj)


class ReadOnlyAdminMixin(KcsfStaffMixin):
    """View only: changes happen through the services on the portal's pages."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the call and its form builder ----------------------------------------------------------


class StagesFormSet(forms.BaseInlineFormSet):
    """A one-stage call has no concept-note stage: refuse rows put there (they would never
    be asked or scored)."""

    def clean(self):
        super().clean()
        if getattr(self.instance, "two_stage", False):
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data and not data.get("DELETE") and data.get("stage") == Stage.CONCEPT:
                form.add_error(
                    "stage",
                    _("This call has one stage: use “Full proposal”, or make the call a two-stage call."),
                )


class QuestionInlineForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "stage",
            "order",
            "kind",
            "required",
            *(f"{base}_{lang}" for base in ("label", "help", "choices") for lang in LANGS),
            "word_limit",
            "min_value",
            "max_value",
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = {lang: _options(cleaned.get(f"choices_{lang}")) for lang in LANGS}
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            needed = 2 if kind == QuestionKind.SINGLE_CHOICE else 1
            if len(options["sq"]) < needed:
                self.add_error(
                    "choices_sq",
                    _("A single-choice question needs at least two options in Albanian, one per line.")
                    if needed == 2
                    else _("A multiple-choice question needs at least one option in Albanian, one per line."),
                )
            elif len(set(options["sq"])) != len(options["sq"]):
                self.add_error("choices_sq", _("Two options are the same. Give each option once."))
            for lang in ("sr", "en"):
                if options[lang] and options["sq"] and len(options[lang]) != len(options["sq"]):
                    self.add_error(
                        f"choices_{lang}",
                        _(
                            "Give the same number of options as in Albanian (%(count)d), in the same order,"
                            " or leave this empty."
                        )
                        % {"count": len(options["sq"])},
                    )
        elif any(options.values()):
            for lang in LANGS:
                if options[lang]:
                    self.add_error(
                        f"choices_{lang}", _("Only single- and multiple-choice questions have options.")
                    )
        if cleaned.get("word_limit") is not None and kind and kind != QuestionKind.LONG_TEXT:
            self.add_error("word_limit", _("A word limit applies only to long-text questions."))
        if cleaned.get("word_limit") == 0:
            self.add_error("word_limit", _("A word limit must be at least 1 (leave it empty for no limit)."))
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if kind and kind != QuestionKind.NUMBER:
            for name in ("min_value", "max_value"):
                if cleaned.get(name) is not None:
                    self.add_error(name, _("A minimum and maximum apply only to number questions."))
        elif low is not None and high is not None and low > high:
            self.add_error("max_value", _("The maximum must not be below the minimum."))
        return cleaned


class AttachmentRequirementForm(forms.ModelForm):
    applicant_types = forms.TypedMultipleChoiceField(
        label=_("for applicant types"),
        choices=ApplicantType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every applicant."),
    )

    class Meta:
        model = AttachmentRequirement
        fields = ["stage", "order", "required", "label_sq", "label_sr", "label_en", "applicant_types"]

    def clean_applicant_types(self):
        return list(self.cleaned_data.get("applicant_types") or [])


class _CallChildInline:
    """Questions and criteria may not be removed once applications were sent to the call:
    the answers and scores would lose their question (edit their wording instead)."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.pk:
            cache = request.__dict__.setdefault("_grants_call_sent", {})
            if obj.pk not in cache:
                cache[obj.pk] = obj.applications.exclude(status=ApplicationStatus.DRAFT).exists()
            if cache[obj.pk]:
                return False
        return super().has_delete_permission(request, obj)


class QuestionInline(_CallChildInline, KcsfEditMixin, admin.StackedInline):
    model = Question
    form = QuestionInlineForm
    formset = StagesFormSet
    extra = 0
    fieldsets = [
        (None, {"fields": [("stage", "order", "kind", "required")]}),
        (_("Question"), {"fields": ["label_sq", "label_sr", "label_en"]}),
        (_("Help"), {"fields": [("help_sq", "help_sr", "help_en")]}),
        (_("Limits"), {"fields": [("word_limit", "min_value", "max_value")]}),
        (_("Options (choice questions)"), {"fields": [("choices_sq", "choices_sr", "choices_en")]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith(("help_", "choices_")):
            field.widget.attrs.update({"rows": 3, "cols": 30})
        return field


class CriterionInline(_CallChildInline, KcsfEditMixin, admin.StackedInline):
    model = Criterion
    formset = StagesFormSet
    extra = 0
    fieldsets = [
        (None, {"fields": [("stage", "order", "weight", "max_score")]}),
        (_("Criterion"), {"fields": ["title_sq", "title_sr", "title_en"]}),
        (_("Guidance for reviewers"), {"fields": [("guidance_sq", "guidance_sr", "guidance_en")]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith("guidance_"):
            field.widget.attrs.update({"rows": 3, "cols": 30})
        return field


class AttachmentRequirementInline(KcsfEditMixin, admin.StackedInline):
    model = AttachmentRequirement
    form = AttachmentRequirementForm
    formset = StagesFormSet
    extra = 0
    fields = [("stage", "order", "required"), ("label_sq", "label_sr", "label_en"), "applicant_types"]


class CallDocumentInline(KcsfEditMixin, admin.TabularInline):
    model = CallDocument
    extra = 0
    fields = ["title", "language", "file", "order"]


class CallAdminForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = [
            *(f"{base}_{lang}" for base in ("title", "summary", "description") for lang in LANGS),
            "slug",
            "code",
            "is_published",
            "allow_organizations",
            "allow_groups",
            "allow_individuals",
            "total_budget",
            "min_amount",
            "max_amount",
            "cofinancing_percent",
            "municipalities",
            "sectors",
            "opens_at",
            "closes_at",
            "two_stage",
            "full_proposal_closes_at",
            "review_deadline",
            "co_managers",
        ]

    def clean(self):
        cleaned = super().clean()
        low, high, budget = cleaned.get("min_amount"), cleaned.get("max_amount"), cleaned.get("total_budget")
        if low is not None and high is not None and low > high:
            self.add_error("max_amount", _("The maximum per grant must not be below the minimum."))
        elif high is not None and budget is not None and high > budget:
            self.add_error(
                "max_amount", _("The maximum per grant must not exceed the total budget of the call.")
            )
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The call must close after it opens."))
        if not any(
            cleaned.get(name) for name in ("allow_organizations", "allow_groups", "allow_individuals")
        ):
            self.add_error(
                "allow_organizations",
                _("Choose who may apply: registered CSOs, informal groups or individuals (at least one)."),
            )
        full = cleaned.get("full_proposal_closes_at")
        if cleaned.get("two_stage"):
            if not full:
                self.add_error(
                    "full_proposal_closes_at", _("A two-stage call needs the deadline of the full proposals.")
                )
            elif closes and full <= closes:
                self.add_error(
                    "full_proposal_closes_at",
                    _("Full proposals must be due after the concept notes close."),
                )
        elif full:
            self.add_error(
                "full_proposal_closes_at",
                _("Only a two-stage call has a full-proposal deadline: leave it empty."),
            )
        review = cleaned.get("review_deadline")
        if review and closes and review <= closes:
            self.add_error("review_deadline", _("Reviews must be due after the call closes."))
        return cleaned


class PhaseFilter(admin.SimpleListFilter):
    title = _("phase")
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("open", _("Open")), ("closed", _("Closed"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(opens_at__gt=now)
        if self.value() == "open":
            return queryset.filter(opens_at__lte=now, closes_at__gt=now)
        if self.value() == "closed":
            return queryset.filter(closes_at__lte=now)
        return queryset


@admin.register(Call)
class CallAdmin(KcsfEditMixin, SimpleHistoryAdmin):
    form = CallAdminForm
    list_display = [
        "__str__",
        "code",
        "phase_display",
        "is_published",
        "opens_at",
        "closes_at",
        "total_budget",
        "awarded_display",
        "applications_display",
    ]
    list_filter = [
        PhaseFilter,
        "is_published",
        "two_stage",
        "allow_organizations",
        "allow_groups",
        "allow_individuals",
    ]
    search_fields = ["title_sq", "title_sr", "title_en", "code", "slug"]
    prepopulated_fields = {"slug": ["title_sq"]}
    filter_horizontal = ["municipalities", "sectors", "co_managers"]
    readonly_fields = ["created_by", "created_at", "updated_at", "public_page"]
    date_hierarchy = "closes_at"
    inlines = [QuestionInline, CriterionInline, AttachmentRequirementInline, CallDocumentInline]
    actions = [export_as_csv]
    csv_export_fields = [
        "slug",
        "code",
        "title_sq",
        "title_sr",
        "title_en",
        "is_published",
        "opens_at",
        "closes_at",
        "total_budget",
        "min_amount",
        "max_amount",
        "cofinancing_percent",
        "submitted_count",
        "draft_count",
        "awarded_total",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title_sq", "title_sr", "title_en", "slug", "code", "is_published", "public_page"]},
        ),
        (_("Summary"), {"fields": ["summary_sq", "summary_sr", "summary_en"]}),
        (_("Description"), {"fields": ["description_sq", "description_sr", "description_en"]}),
        (_("Who may apply"), {"fields": ["allow_organizations", "allow_groups", "allow_individuals"]}),
        (
            _("Money"),
            {"fields": ["total_budget", ("min_amount", "max_amount"), "cofinancing_percent"]},
        ),
        (_("Where and what"), {"fields": ["municipalities", "sectors"]}),
        (
            _("Dates and stages"),
            {"fields": ["opens_at", "closes_at", "two_stage", "full_proposal_closes_at", "review_deadline"]},
        ),
        (_("Partners"), {"fields": ["co_managers"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        awarded = (
            Grant.objects.filter(call=OuterRef("pk"))
            .order_by()
            .values("call")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted_count=Count(
                    "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
                ),
                draft_count=Count("applications", filter=Q(applications__status=ApplicationStatus.DRAFT)),
                awarded_total=Coalesce(
                    Subquery(awarded, output_field=DecimalField(max_digits=14, decimal_places=2)),
                    Value(0, output_field=DecimalField(max_digits=14, decimal_places=2)),
                ),
            )
        )

    @admin.display(description=_("phase"))
    def phase_display(self, obj):
        return {"upcoming": _("Upcoming"), "open": _("Open"), "closed": _("Closed")}[obj.phase]

    @admin.display(description=_("applications (drafts)"), ordering="submitted_count")
    def applications_display(self, obj):
        return f"{obj.submitted_count} ({obj.draft_count})"

    @admin.display(description=_("awarded (EUR)"), ordering="awarded_total")
    def awarded_display(self, obj):
        return formats.number_format(Decimal(obj.awarded_total or 0), 2)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse("grants:call_detail", kwargs={"slug": obj.slug})
        return format_html('<a href="{}">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# --- read-only screens ----------------------------------------------------------------------


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = False


class StatusChangeInline(ReadOnlyAdminMixin, GenericTabularInline):
    """The moves of the object (core.StatusChange rows of its workflow), read-only."""

    model = CoreStatusChange
    extra = 0
    show_change_link = False
    fields = ["created_at", "from_label", "to_label", "actor", "note"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=pgettext_lazy("status change", "from"))
    def from_label(self, change):
        return workflows.by_name(change.workflow).label(change.from_status) if change.from_status else ""

    @admin.display(description=pgettext_lazy("status change", "to"))
    def to_label(self, change):
        return workflows.by_name(change.workflow).label(change.to_status)


class GroupMemberInline(ReadOnlyInline):
    model = GroupMember
    fields = ["name", "role", "email"]
    readonly_fields = fields


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["category", "item", "quantity", "unit_cost", "requested", "cofinancing"]
    readonly_fields = fields


class PlannedActivityInline(ReadOnlyInline):
    model = PlannedActivity
    fields = ["title", "starts_on", "ends_on", "description"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "file_type", "size", "requirement", "question", "frozen", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requirement", "question")


class RevisionInline(ReadOnlyInline):
    model = Revision
    fields = ["number", "stage", "created_at", "created_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "author", "from_staff", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class AssignmentInline(ReadOnlyInline):
    model = ReviewAssignment
    fields = ["reviewer", "stage", "status", "weighted_score", "recommendation", "submitted_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "call",
        "applicant_name_display",
        "applicant_type",
        "stage",
        "status",
        "requested_amount",
        "average_score",
        "submitted_at",
    ]
    list_select_related = ["call", "organization", "applicant"]
    list_filter = ["status", "eligibility", "stage", "applicant_type", "call"]
    search_fields = ["reference", "title", "applicant__email", "organization__name", "group_name"]
    date_hierarchy = "submitted_at"
    ordering = ["-created_at"]
    inlines = [
        StatusChangeInline,
        GroupMemberInline,
        BudgetLineInline,
        PlannedActivityInline,
        AttachmentInline,
        RevisionInline,
        MessageInline,
        AssignmentInline,
    ]
    actions = [export_as_csv]
    csv_export_fields = [
        "reference",
        "call",
        "applicant_name",
        "applicant_type",
        "status",
        "eligibility",
        "title",
        "requested_amount",
        "cofinancing_amount",
        "total_cost",
        "average_score",
        "submitted_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        names = [f.name for f in self.model._meta.fields if f.name not in ("id", "answers")]
        return ["portal_page", "answers_display", *names]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("applicant"))
    def applicant_name_display(self, obj):
        return obj.applicant_name

    @admin.display(description=_("on the portal"))
    def portal_page(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse("grants:staff_application", kwargs={"pk": obj.pk})
        return format_html(
            '<a href="{}">{}</a>', url, _("Screen, assign reviewers or decide on the portal's staff page")
        )

    @admin.display(description=_("answers"))
    def answers_display(self, obj):
        if obj is None or not obj.pk:
            return "—"
        answers = obj.answers or {}
        rows = []
        for question in obj.call.questions.filter(stage=obj.stage):
            value = answers.get(question.key, "")
            if question.is_choice:
                labels = dict(question.options)
                chosen = value if isinstance(value, list) else [value] if value else []
                value = ", ".join(labels.get(str(v), str(v)) for v in chosen)
            rows.append((question.label, value or "—"))
        if not rows:
            return "—"
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    # Applications start on the portal (after the eligibility check) and their statuses move
    # only through the services: no add, no change here.

    def has_delete_permission(self, request, obj=None):
        # Only a draft may go (e.g. spam); nothing that was ever sent.
        if obj is None or obj.status != ApplicationStatus.DRAFT:
            return False
        return self._kcsf(request) or admin.ModelAdmin.has_delete_permission(self, request, obj)


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "score", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "application",
        "call_display",
        "reviewer",
        "stage",
        "status",
        "weighted_score",
        "recommendation",
        "submitted_at",
    ]
    list_select_related = ["application__call", "reviewer"]
    list_filter = ["status", "stage", "recommendation", "application__call"]
    search_fields = ["application__reference", "reviewer__email"]
    inlines = [ScoreInline]
    actions = [export_as_csv]
    csv_export_fields = ["application", "reviewer", "stage", "status", "weighted_score", "recommendation"]

    @admin.display(description=_("call"), ordering="application__call")
    def call_display(self, obj):
        return obj.application.call


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ["number", "amount", "planned_on", "condition", "status", "released_at", "paid_on"]
    readonly_fields = fields


class GrantReportInline(ReadOnlyInline):
    model = GrantReport
    fields = ["period", "kind", "due_on", "status", "submitted_at", "reviewed_at"]
    readonly_fields = fields


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "call", "recipient", "amount", "status", "awarded_at", "agreement_signed_on"]
    list_select_related = ["call", "application__organization", "application__applicant"]
    list_filter = ["status", "call"]
    search_fields = ["application__reference", "application__title", "application__organization__name"]
    date_hierarchy = "awarded_at"
    inlines = [StatusChangeInline, TrancheInline, GrantReportInline]
    exclude = ["agreement_file"]  # private: served by the portal's pages to who may see it
    actions = [export_as_csv]
    csv_export_fields = [
        "reference",
        "call",
        "recipient",
        "amount",
        "status",
        "awarded_at",
        "agreement_signed_on",
    ]

    @admin.display(description=_("reference"), ordering="application__reference")
    def reference(self, obj):
        return obj.application.reference

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return obj.application.applicant_name


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["grant", "number", "amount", "planned_on", "status", "released_at", "paid_on"]
    list_select_related = ["grant__application"]
    list_filter = ["status"]
    search_fields = ["grant__application__reference"]
    actions = [export_as_csv]


@admin.register(GrantReport)
class GrantReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["grant", "period", "kind", "due_on", "status", "submitted_at", "reviewed_at"]
    list_select_related = ["grant__application"]
    list_filter = ["status", "period", "kind"]
    search_fields = ["grant__application__reference"]
    date_hierarchy = "due_on"
    exclude = ["file"]  # private: served by the portal's pages to who may see it
    actions = [export_as_csv]


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "last"]
