from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = _("Transparency")

    def ready(self):
        # The badge in the CSO directory, on profiles and in the organisations API, through
        # the extension points of `organizations` (which never imports this app).
        from organizations import extensions
        from transparency.api.views.badges import BadgeLevelField
        from transparency.selectors import badges

        extensions.register_directory_queryset_hook(badges.with_badge)
        extensions.register_directory_filter("badge", badges.make_badge_filter)
        extensions.register_template_snippet("card", "transparency/includes/_badge_card.html")
        extensions.register_template_snippet("profile", "transparency/includes/_badge_profile.html")
        extensions.register_template_snippet("manage", "transparency/includes/_manage_links.html")
        extensions.register_api_field("badge_level", BadgeLevelField)

        from transparency import exports, signals  # noqa: F401  (exports: public funding + strategy)

        signals.connect()  # the public pages kept for visitors (core.page_cache)
