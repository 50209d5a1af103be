from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("Assistance")

    def ready(self):
        from assistance import signals

        signals.connect()  # the public pages kept for visitors (core.page_cache)

        # "My expert inbox" in the navbar, for active experts only (core never imports this app).
        from assistance.selectors import is_active_expert
        from core.navigation import register_menu_flag

        register_menu_flag("assistance_expert", is_active_expert)

        from assistance import exports  # noqa: F401  (the staff export of requests)
