"""Admin of transparency badges (read-only, with a recompute action)."""

from django.contrib import admin as _badge_admin
from django.utils.translation import gettext_lazy, ngettext

from transparency.models import OrganizationBadge
from transparency.services import badges as _badges


@_badge_admin.action(description=gettext_lazy("Recompute the selected badges now"), permissions=["view"])
def recompute_badges(modeladmin, request, queryset):
    count = 0
    for badge in queryset.select_related("organization"):
        _badges.recompute(badge.organization)
        count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d badge recomputed.", "%(count)d badges recomputed.", count) % {"count": count},
    )


@_badge_admin.register(OrganizationBadge)
class OrganizationBadgeAdmin(_badge_admin.ModelAdmin):
    """Badges are computed from the published reports (transparency.badges), never edited by hand."""

    list_display = ["organization", "level", "score", "year", "updated_at"]
    list_select_related = ["organization"]
    list_filter = ["level", "year"]
    search_fields = ["organization__name", "organization__slug"]
    readonly_fields = ["organization", "level", "score", "year", "details", "created_at", "updated_at"]
    actions = [recompute_badges]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
