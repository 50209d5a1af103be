from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = _("Leadership Academy")

    def ready(self):
        from academy import signals

        signals.connect()  # the public pages kept for visitors (core.page_cache)

        # The certificate of completion (core.certificates).
        from academy import certificates

        certificates.register()

        from academy import exports  # noqa: F401  (the yearly report, core.reports)
