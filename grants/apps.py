from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from core.navigation import register_menu_flag
        from grants import exports, rules, selectors, signals  # noqa: F401  (exports, permissions, cache topics)

        register_menu_flag("grants_reviews", selectors.sees_reviews)

        # A pre-filled draft application from another app's facts (core.handoffs).
        from grants import handoffs

        handoffs.register()
