"""Writes of transparency badges: recomputing an organisation's badge from its reports."""

from __future__ import annotations

import datetime

from django.db import transaction

from transparency.badges import Evaluation, evaluate
from transparency.models import OrganizationBadge


def _stored_values(evaluation: Evaluation) -> dict:
    return {
        "level": evaluation.level,
        "score": evaluation.score,
        "year": evaluation.year,
        "details": {
            "rules": {r.code: r.met for r in evaluation.rules},
            "due_year": evaluation.due_year,
        },
    }


def recompute(organization, *, today: datetime.date | None = None) -> OrganizationBadge:
    """Evaluate and save the organisation's badge row. Idempotent: a second run with the
    same reports changes nothing (the row is written only when a value changed)."""
    values = _stored_values(evaluate(organization, today=today))
    with transaction.atomic():
        badge = OrganizationBadge.objects.select_for_update().filter(organization=organization).first()
        if badge is None:
            badge, created = OrganizationBadge.objects.get_or_create(
                organization=organization, defaults=values
            )
            if created:
                return badge
        changed = [name for name, value in values.items() if getattr(badge, name) != value]
        if changed:
            for name in changed:
                setattr(badge, name, values[name])
            badge.save(update_fields=[*changed, "updated_at"])
    return badge
