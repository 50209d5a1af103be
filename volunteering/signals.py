"""Which public pages (core.page_cache) a change of volunteering data makes out of date: opportunities (the public list, the organisation's profile).
Every save or delete of one of its rows touches the topic (connected from `ready()`)."""

from django.apps import apps

from core.page_cache import ORGANIZATIONS, REFERENCE, VOLUNTEERING, touch_on_change

# Its public pages show organisations' names and municipalities too.
PAGE_TOPICS = (VOLUNTEERING, ORGANIZATIONS, REFERENCE)


def connect() -> None:
    touch_on_change(VOLUNTEERING, *apps.get_app_config("volunteering").get_models())
