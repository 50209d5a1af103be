"""Which public pages (core.page_cache) a change of transparency data makes out of date: the
reports, badges, public funding and the Strategy's measures, all under one topic."""

from django.apps import apps

from core.page_cache import ORGANIZATIONS, REFERENCE, TRANSPARENCY, touch_on_change

# The transparency pages show organisations' names and municipalities too.
PAGE_TOPICS = (TRANSPARENCY, ORGANIZATIONS, REFERENCE)


def connect() -> None:
    """Every save or delete of a transparency row touches the topic (from `ready()`); the bulk
    writes (funding import, strategy moderation, board members) touch it themselves."""
    touch_on_change(TRANSPARENCY, *apps.get_app_config("transparency").get_models())
