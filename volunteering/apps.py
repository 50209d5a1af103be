from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from volunteering import signals

        signals.connect()  # the public pages kept for visitors (core.page_cache)

        # Open opportunities on the organisation's profile, through `organizations.extensions`.
        from organizations import extensions

        extensions.register_template_snippet("profile", "volunteering/includes/_org_opportunities.html")
        extensions.register_template_snippet("manage", "volunteering/includes/_manage_links.html")

        # The certificate of confirmed hours (core.certificates).
        from volunteering import certificates

        certificates.register()

        # A pre-filled draft opportunity from another app's facts (core.handoffs).
        from volunteering import handoffs

        handoffs.register()

        # Background reports (core.reports).
        from volunteering import exports  # noqa: F401
