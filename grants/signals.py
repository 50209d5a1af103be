"""Which cached fragments (core.fragments) a save or a delete makes out of date.

- `grants.ranking.<call id>`: the ranking table of the call (its applications, its grants,
  the call itself);
- `grants.public`: the public list of awarded grants and its filters (grants, the approved
  applications behind them, calls);
- `grants.names`: names every grants fragment shows (organisations, people, municipalities).

A review assignment saved or deleted touches its reviewer's menu ("My reviews",
core.navigation).
"""

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core.fragments import touch
from core.models import Municipality
from core.navigation import touch_people_on_change
from core.page_cache import GRANTS, ORGANIZATIONS, REFERENCE
from grants.choices import ApplicationStatus
from grants.models import (
    Application,
    AttachmentRequirement,
    Call,
    CallDocument,
    Criterion,
    Grant,
    Question,
    ReviewAssignment,
)
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


def page_topics() -> list[str]:
    """The topics of the public grants pages kept whole for visitors (core.page_cache): calls,
    awarded grants and the names they show."""
    return [GRANTS, ORGANIZATIONS, REFERENCE]


@receiver([post_save, post_delete], sender=Application)
def _application_changed(sender, instance, **kwargs):
    topics = [RANKING.format(instance.call_id)]
    if instance.status == ApplicationStatus.APPROVED:
        topics += [PUBLIC, GRANTS]
    touch(*topics)


@receiver([post_save, post_delete], sender=Grant)
def _grant_changed(sender, instance, **kwargs):
    touch(RANKING.format(instance.call_id), PUBLIC, GRANTS)


@receiver([post_save, post_delete], sender=Call)
def _call_changed(sender, instance, **kwargs):
    touch(RANKING.format(instance.pk), PUBLIC, GRANTS)


@receiver([post_save, post_delete], sender=Organization)
@receiver([post_save, post_delete], sender=Municipality)
def _names_changed(sender, **kwargs):
    touch(NAMES)  # the pages' topics: organizations' and core's receivers (core.page_cache)


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def _user_changed(sender, update_fields=None, **kwargs):
    if update_fields is None or USER_NAME_FIELDS & set(update_fields):
        touch(NAMES, GRANTS)  # individual grantees' names on the awarded grants


@receiver([post_save, post_delete], sender=CallDocument)
@receiver([post_save, post_delete], sender=Criterion)
@receiver([post_save, post_delete], sender=AttachmentRequirement)
@receiver([post_save, post_delete], sender=Question)
def _call_part_changed(sender, **kwargs):
    touch(GRANTS)  # shown on the public call page


@receiver(m2m_changed, sender=Call.municipalities.through)
@receiver(m2m_changed, sender=Call.sectors.through)
def _call_targets_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        touch(PUBLIC, GRANTS)


touch_people_on_change(ReviewAssignment, "reviewer")  # "My reviews" in the reviewer's menu
