"""Background work of the transparency app. Tasks take ids, re-fetch and are idempotent."""

import logging

from celery import shared_task

from organizations.models import Organization
from transparency import badges

logger = logging.getLogger(__name__)


@shared_task(
    name="transparency.tasks.recompute_badge",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def recompute_badge(org_id: int) -> str:
    """Recompute one organisation's badge (after a report is published, or nightly)."""
    organization = Organization.objects.filter(pk=org_id).first()
    if organization is None:
        return "skipped"  # deleted since the task was enqueued
    badge = badges.recompute(organization)
    return badge.level


@shared_task(name="transparency.tasks.recompute_all_badges")
def recompute_all_badges() -> int:
    """Nightly: deadlines pass without any event, so every badge is recomputed. One task per
    organisation, so that one failure does not stop the others."""
    count = 0
    for org_id in badges.organizations_to_recompute().iterator():
        recompute_badge.delay(org_id)
        count += 1
    return count
