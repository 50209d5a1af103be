"""Which public pages (core.page_cache) a change of dialogue data makes out of date: events,
the commitments tracker, the organisation's profile and the Strategy measure's page.
Every save or delete of one of its rows touches the topic (connected from `ready()`)."""

from django.apps import apps

from core.page_cache import DIALOGUE, ORGANIZATIONS, REFERENCE, touch_on_change

# Its public pages show organisations' names and municipalities too.
PAGE_TOPICS = (DIALOGUE, ORGANIZATIONS, REFERENCE)


# Who follows what, and their digest choice, are on no public page: a click on "Follow" must
# not empty the cache of every dialogue page.
PRIVATE_MODELS = ("follow", "digestsubscription")


def connect() -> None:
    models = apps.get_app_config("dialogue").get_models()
    touch_on_change(DIALOGUE, *(m for m in models if m._meta.model_name not in PRIVATE_MODELS))
