from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organisations")

    def ready(self):
        from core.page_cache import ORGANIZATIONS, touch_on_change
        from organizations import exports, pages  # noqa: F401  (the directory export, home and dashboard context)
        from organizations.models import Organization

        touch_on_change(ORGANIZATIONS, Organization)  # the public pages kept for visitors (core.page_cache)

        from organizations import signals

        signals.connect()  # the menu's flags of members (core.navigation)
