from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import middleware, signals

        signals.connect()  # the menu's flags (core.navigation)
        from core.permissions import register_second_factor_check, register_second_factor_passed

        register_second_factor_check(middleware.staff_page_second_factor)
        register_second_factor_passed(middleware.session_may_use_staff_powers)
