"""Which public pages (core.page_cache) a change of academy data makes out of date: cohorts.
Every save or delete of one of its rows touches the topic (connected from `ready()`)."""

from django.apps import apps

from core.page_cache import ACADEMY, ORGANIZATIONS, REFERENCE, touch_on_change

# Its public pages show organisations' names and municipalities too.
PAGE_TOPICS = (ACADEMY, ORGANIZATIONS, REFERENCE)


def connect() -> None:
    touch_on_change(ACADEMY, *apps.get_app_config("academy").get_models())
