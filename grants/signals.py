"""Which cached fragments (core.fragments) a save or a delete makes out of date.

- `grants.ranking.<call id>`: the ranking table of the call (its applications, its grants,
  the call itself);
- `grants.public`: the public list of awarded grants and its filters (grants, the approved
  applications behind them, calls);
- `grants.names`: names every grants fragment shows (organisations, people, municipalities).
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.fragments import touch
from core.models import Municipality
from grants.choices import ApplicationStatus
from grants.models import Application, Call, Grant
from organizations.models import Organization

RANKING = "grants.ranking.{}"
PUBLIC = "grants.public"
NAMES = "grants.names"
# A user's save that changes none of these (e.g. `last_login` at each sign-in) leaves
# every grants fragment as it was.
USER_NAME_FIELDS = {"full_name", "email"}


def ranking_topics(call_id) -> list[str]:
    return [RANKING.format(call_id), NAMES]


def public_topics() -> list[str]:
    return [PUBLIC, NAMES]


@receiver([post_save, post_delete], sender=Application)
def _application_changed(sender, instance, **kwargs):
    topics = [RANKING.format(instance.call_id)]
    if instance.status == ApplicationStatus.APPROVED:
        topics.append(PUBLIC)
    touch(*topics)


@receiver([post_save, post_delete], sender=Grant)
def _grant_changed(sender, instance, **kwargs):
    touch(RANKING.format(instance.call_id), PUBLIC)


@receiver([post_save, post_delete], sender=Call)
def _call_changed(sender, instance, **kwargs):
    touch(RANKING.format(instance.pk), PUBLIC)


@receiver([post_save, post_delete], sender=Organization)
@receiver([post_save, post_delete], sender=Municipality)
def _names_changed(sender, **kwargs):
    touch(NAMES)


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def _user_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or USER_NAME_FIELDS & set(update_fields):
        touch(NAMES)
