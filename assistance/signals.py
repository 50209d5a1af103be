"""Which public pages (core.page_cache) a change of assistance data makes out of date: the knowledge base.
Every save or delete of one of its rows touches the topic (connected from `ready()`). An
expert saved or deleted touches their menu ("Expert inbox", core.navigation)."""

from django.apps import apps

from core.navigation import touch_people_on_change
from core.page_cache import ASSISTANCE, ORGANIZATIONS, REFERENCE, touch_on_change

# Its public pages show organisations' names and municipalities too.
PAGE_TOPICS = (ASSISTANCE, ORGANIZATIONS, REFERENCE)


def connect() -> None:
    touch_on_change(ASSISTANCE, *apps.get_app_config("assistance").get_models())
    touch_people_on_change(apps.get_model("assistance", "Expert"), "user")
