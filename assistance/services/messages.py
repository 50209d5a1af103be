"""The private thread of a request: a message (with files) from the requester side or the
assigned expert, emailed to the other side in their language."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assistance.models import HelpRequest, Message
from assistance.rules import is_assigned_expert
from assistance.services import attachments
from core.notifications import email_user_template
from core.permissions import require

MAX_LENGTH = 10000


def message_post(*, actor, request: HelpRequest, body: str, uploads=(), submission_key=None) -> Message:
    """Post a message; the same `submission_key` sent again returns the message already posted."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            {"body": _("A message can be at most %(limit)d characters long.") % {"limit": MAX_LENGTH}}
        )
    uploads = list(uploads)
    kinds = attachments.validate_uploads(uploads)
    with transaction.atomic():
        request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .select_related("expert__user", "requester", "organization")
            .get(pk=request.pk)
        )
        require(actor, "assistance.post_message", request)
        if submission_key is not None:
            existing = Message.objects.filter(author=actor, submission_key=submission_key).first()
            if existing is not None:
                return existing
        message = Message.objects.create(
            request=request, author=actor, body=body, submission_key=submission_key
        )
        attachments.store(actor=actor, request=request, uploads=uploads, kinds=kinds, message=message)
        for recipient in _other_side(actor, request):
            email_user_template(
                template="assistance/email/new_message",
                context={"help_request": request, "message": message, "author": actor},
                user=recipient,
            )
    return message


def _other_side(actor, request: HelpRequest) -> list:
    """Who is told of a message: the expert hears from the requester side and vice versa (the
    requester of the request is the requester side's address)."""
    if is_assigned_expert(actor, request):
        return [request.requester] if request.requester.is_active else []
    if request.expert_id is not None and request.expert.user.is_active:
        return [request.expert.user]
    return []
