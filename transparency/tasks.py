"""Background work of the transparency app. Tasks take ids, re-fetch and are idempotent."""

import logging

from celery import shared_task

from organizations.models import Organization
from transparency.selectors import badges as badges_selectors
from transparency.services import badges as badges_services
from transparency.services import strategy as strategy_services

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
    badge = badges_services.recompute(organization)
    return badge.level


@shared_task(name="transparency.tasks.recompute_all_badges")
def recompute_all_badges() -> int:
    """Nightly: deadlines pass without any event, so every badge is recomputed. One task per
    organisation, so that one failure does not stop the others."""
    count = 0
    for org_id in badges_selectors.organizations_to_recompute().iterator():
        recompute_badge.delay(org_id)
        count += 1
    return count


@shared_task(name="transparency.tasks.measures_mark_late", acks_late=True)
def measures_mark_late() -> int:
    """Celery beat, nightly: Strategy measures past their deadline and not implemented become
    late. Idempotent: a second run the same night changes nothing."""
    return strategy_services.measures_mark_late()
