"""The knowledge base: staff publish an anonymised question and answer in the three languages
from an answered request whose requester consented (the request stays private); visitors say
whether an entry helped, once each."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.choices import ANSWERED_STATUSES
from assistance.models import HelpRequest, KnowledgeEntry, KnowledgeVote
from core.permissions import require

TEXT_FIELDS = ("question_sq", "question_sr", "question_en", "answer_sq", "answer_sr", "answer_en")


def knowledge_publish(*, actor, request: HelpRequest, category: str, **texts) -> KnowledgeEntry:
    """Publish (or update and publish again) the entry of `request`. Refused without the
    requester's consent or before the answer; every language is required."""
    missing = [name for name in TEXT_FIELDS if not (texts.get(name) or "").strip()]
    if missing:
        raise ValidationError({name: _("This field is required.") for name in missing})
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.status not in ANSWERED_STATUSES:
            raise ValidationError(
                _("Only an answered request can go to the knowledge base."), code="not_answered"
            )
        if not request.consent_to_publish:
            raise ValidationError(
                _("The requester has not agreed to publish this question and answer."), code="no_consent"
            )
        require(actor, "assistance.publish_knowledge", request)
        values = {name: texts[name].strip() for name in TEXT_FIELDS}
        entry, _created = KnowledgeEntry.objects.update_or_create(
            source_request=request,
            defaults={
                **values,
                "category": category,
                "published": True,
                "published_at": timezone.now(),
                "published_by": actor,
            },
        )
    return entry


def knowledge_unpublish(*, actor, entry: KnowledgeEntry) -> KnowledgeEntry:
    require(actor, "assistance.manage_requests")
    KnowledgeEntry.objects.filter(pk=entry.pk).update(published=False, updated_at=timezone.now())
    entry.refresh_from_db()
    return entry


def knowledge_vote(*, entry: KnowledgeEntry, helpful: bool, user=None, session_key: str = "") -> bool:
    """Count one "was this helpful" answer per person (or session); False when they had
    already answered (nothing changes)."""
    user = user if getattr(user, "is_authenticated", False) else None
    if user is None and not session_key:
        raise ValueError("a vote needs a user or a session")
    try:
        with transaction.atomic():
            KnowledgeVote.objects.create(
                entry=entry, user=user, session_key="" if user else session_key, helpful=bool(helpful)
            )
            field = "helpful_yes" if helpful else "helpful_no"
            KnowledgeEntry.objects.filter(pk=entry.pk).update(**{field: F(field) + 1})
    except IntegrityError:
        return False
    return True
