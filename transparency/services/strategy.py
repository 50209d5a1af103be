"""Writes of the Strategy monitoring: comments on measures (with a rate limit), their moderation, and marking late measures."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.fragments import touch
from core.page_cache import TRANSPARENCY
from transparency.choices import CommentStatus, MeasureStatus
from transparency.models import MeasureComment, StrategyMeasure
from transparency.selectors.strategy import OPEN_STATUSES, commentable_organizations

COMMENT_MAX_LENGTH = 3000


COMMENT_RATE_LIMIT = 5  # comments per user …


COMMENT_RATE_WINDOW = timedelta(minutes=10)  # … within this window


class CommentRateLimited(Exception):
    """Too many comments in a short time (a 429)."""


def measures_mark_late(*, today=None) -> int:
    """Measures past their deadline and not implemented become `late`. Idempotent: only
    measures still not started or in progress move; returns how many did. Each change is
    kept in the measure's history."""
    today = today or timezone.localdate()
    with transaction.atomic():
        measures = list(
            StrategyMeasure.objects.select_for_update().filter(deadline__lt=today, status__in=OPEN_STATUSES)
        )
        now = timezone.now()
        for measure in measures:
            measure.status = MeasureStatus.LATE
            measure.updated_at = now
        if measures:
            bulk_update_with_history(
                measures,
                StrategyMeasure,
                ["status", "updated_at"],
                batch_size=500,
                default_change_reason="deadline passed",
            )
            touch(TRANSPARENCY)  # bulk: no post_save (core.page_cache)
    return len(measures)


def comment_create(*, actor, measure: StrategyMeasure, body: str, organization=None) -> MeasureComment:
    """A signed-in person comments on a measure, optionally for an organisation they belong
    to. The comment waits for moderation. Raises ValidationError (empty, too long, not a
    member), PermissionDenied, or CommentRateLimited."""
    if not actor.has_perm("transparency.comment_on_measure"):
        raise PermissionDenied(_("Log in to comment."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment has at most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}}
        )
    if organization is not None and not commentable_organizations(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("You can comment only for an organisation you belong to.")})
    with transaction.atomic():
        # Lock the author's row so that parallel posts are counted one after the other.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        recent = MeasureComment.objects.filter(
            author=actor, created_at__gte=timezone.now() - COMMENT_RATE_WINDOW
        ).count()
        if recent >= COMMENT_RATE_LIMIT:
            raise CommentRateLimited(
                _("You have posted several comments in a short time. Please wait a few minutes.")
            )
        return MeasureComment.objects.create(
            measure=measure, author=actor, organization=organization, body=body
        )


MODERATION_ACTIONS = {"approve": CommentStatus.APPROVED, "reject": CommentStatus.REJECTED}


def comments_moderate(*, actor, ids, action: str) -> int:
    """Staff approve or reject comments (bulk). Returns how many changed status."""
    if not actor.has_perm("transparency.moderate_measure_comments"):
        raise PermissionDenied(_("You do not have permission to moderate comments."))
    if action not in MODERATION_ACTIONS:
        raise ValidationError(_("Choose approve or reject."))
    target = MODERATION_ACTIONS[action]
    ids = [int(pk) for pk in ids if str(pk).isdecimal() and len(str(pk)) < 19]
    now = timezone.now()
    with transaction.atomic():
        touch(TRANSPARENCY)  # approved comments are public; bulk: no post_save (core.page_cache)
        return (
            MeasureComment.objects.filter(pk__in=ids)
            .exclude(status=target)
            .update(status=target, moderated_by=actor, moderated_at=now, updated_at=now)
        )
