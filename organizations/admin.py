"""Staff screens for the registry: organisations (with history, verification and CSV
export), memberships, invitations, and a read-only list of API tokens."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin_actions import export_as_csv
from organizations import services
from organizations.models import ApiToken, Invitation, Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


def _verify(modeladmin, request, queryset, *, verified: bool) -> None:
    done = 0
    for organization in queryset:
        try:
            services.organization_verify(actor=request.user, organization=organization, verified=verified)
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{organization}: {exc}", messages.ERROR)
        else:
            done += 1
    if done:
        text = (
            ngettext("%(count)d organisation verified.", "%(count)d organisations verified.", done)
            if verified
            else ngettext(
                "%(count)d organisation marked not verified.",
                "%(count)d organisations marked not verified.",
                done,
            )
        )
        modeladmin.message_user(request, text % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Verify selected organisations"), permissions=["change"])
def verify_selected(modeladmin, request, queryset):
    _verify(modeladmin, request, queryset, verified=True)


@admin.action(description=_("Mark selected organisations not verified"), permissions=["change"])
def mark_not_verified(modeladmin, request, queryset):
    _verify(modeladmin, request, queryset, verified=False)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "municipality",
        "verification_status",
        "is_active",
        "member_count",
        "created_at",
    ]
    list_select_related = ["municipality"]
    list_filter = ["kind", "verification_status", "municipality", "sectors", "is_active"]
    search_fields = ["name", "registration_number", "email"]
    date_hierarchy = "created_at"
    filter_horizontal = ["sectors"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]
    actions = [verify_selected, mark_not_verified, export_as_csv]
    # Sectors are not exported: core.admin_actions._cell calls a many-to-many manager,
    # which raises TypeError (see the report of issue 2).
    csv_export_fields = [
        "name",
        "slug",
        "kind",
        "registration_number",
        "municipality",
        "email",
        "phone",
        "website",
        "address",
        "founded_year",
        "verification_status",
        "verified_at",
        "is_active",
        "created_at",
    ]
    readonly_fields = ["verified_at", "verified_by", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "kind",
                    "registration_number",
                    "municipality",
                    "sectors",
                    "is_active",
                ]
            },
        ),
        (
            _("Profile"),
            {"fields": ["description", "email", "phone", "website", "address", "founded_year", "logo"]},
        ),
        (
            _("Verification"),
            {"fields": ["verification_status", "verification_note", "verified_at", "verified_by"]},
        ),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj):
        return obj._member_count


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_select_related = ["user", "organization"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organization__name"]
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organization", "role", "status", "invited_by", "expires_at", "created_at"]
    list_select_related = ["organization", "invited_by"]
    list_filter = ["status", "role"]
    search_fields = ["email", "organization__name"]
    raw_id_fields = ["organization", "invited_by", "accepted_by"]
    readonly_fields = ["accepted_by", "accepted_at", "created_at", "updated_at"]
    # The token is the secret of the accept link: never shown here (editable=False).


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by the organisation's owners (or staff) on
    the portal's API token page; the key itself is never stored, only its hash."""

    list_display = [
        "name",
        "organization",
        "prefix",
        "scope_list",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_select_related = ["organization"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["name", "prefix", "organization__name"]
    fields = [
        "name",
        "organization",
        "prefix",
        "scopes",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
        "revoked_reason",
    ]
    readonly_fields = fields

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes or [])

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
