from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        # Open opportunities on the organisation's profile, through `organizations.extensions`.
        from organizations import extensions

        extensions.register_template_snippet("profile", "volunteering/includes/_org_opportunities.html")
        extensions.register_template_snippet("manage", "volunteering/includes/_manage_links.html")

        # The certificate of confirmed hours (core.certificates).
        from volunteering import certificates

        certificates.register()

        # Background reports (core.reports).
        from volunteering import exports  # noqa: F401
