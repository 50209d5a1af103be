from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Dialogue")

    def ready(self):
        from dialogue import signals

        signals.connect()  # the public pages kept for visitors (core.page_cache)

        # The organisation's commitments on its public profile, through organizations'
        # extension points (organizations never imports this app); the "events I organise"
        # menu entry for editors of verified organisations (core.navigation).
        from core.navigation import register_menu_flag
        from dialogue import exports  # noqa: F401  (the consultation report, core.reports)
        from dialogue.rules import edits_a_verified_organization
        from organizations import extensions

        extensions.register_template_snippet("profile", "dialogue/includes/_commitments_profile.html")
        extensions.register_template_snippet("profile", "dialogue/includes/_partnerships_profile.html")
        extensions.register_template_snippet("profile", "dialogue/includes/_follow_organization.html")

        from dialogue.services import follows  # noqa: F401  (the followable kinds register themselves)

        register_menu_flag("dialogue_organiser", edits_a_verified_organization)
