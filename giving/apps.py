from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GivingConfig(AppConfig):
    name = "giving"
    verbose_name = _("Giving")

    def ready(self):
        from giving import exports  # noqa: F401  (registers the "giving.records" export)
        from giving.jobs import register as register_jobs

        register_jobs()  # imports and yearly PDFs, sent again when their send was lost
        from giving import signals

        signals.connect()  # the public pages kept for visitors (core.page_cache)
