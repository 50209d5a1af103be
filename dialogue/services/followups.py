"""After an event: its organiser (whoever may change the event) writes minutes or a closing
report (in one or more languages), adds documents (PDF, DOCX, XLSX, ODT) and photos (JPEG,
PNG, with a caption), and publishes them. All of it only once the event has ended.

Files are stored privately (`core.models.private_storage`) under a random name and served by
the portal: to anyone once the follow-up is published, to the organiser before.

Publishing emails everyone who held a place (registered or attended; not the waiting list),
each in their language, once: the task claims the follow-up's `notified_at` with a
conditional update and queues one outbox email per person in the same transaction
(`core.notifications`), so a second run sends nothing and a failed send is retried for that
person alone.
"""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import email_user_template, enqueue_on_commit
from core.permissions import require
from core.validators import DOCX, JPEG, ODT, PDF, PNG, XLSX, upload_name, validate_document_upload
from dialogue.choices import HOLDS_PLACE, EventStatus, FollowUpKind
from dialogue.models import Event, EventFollowUp, FollowUpDocument, FollowUpPhoto, Registration

logger = logging.getLogger(__name__)

DOCUMENT_TYPES = (PDF, DOCX, XLSX, ODT)
PHOTO_TYPES = (JPEG, PNG)
MAX_DOCUMENTS = 20
MAX_PHOTOS = 40


def check_event_ended(event: Event, now=None) -> None:
    """A follow-up is written after a published event has ended (a clear refusal before)."""
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(
            _("Minutes, documents and photos are added to published events only."), code="not_published"
        )
    if event.ends_at > (now or timezone.now()):
        raise ValidationError(
            _("Minutes, documents and photos can be added once the event has ended."), code="not_ended"
        )


def _lock(event: Event, actor, now=None) -> tuple[Event, EventFollowUp]:
    """Check the permission and the event's end; lock the event's follow-up (made if
    missing). Call inside a transaction."""
    require(actor, "dialogue.change_event", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_event_ended(event, now)
    follow_up, _created = EventFollowUp.objects.get_or_create(event=event)
    follow_up = EventFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    return event, follow_up


def follow_up_save(
    *, event: Event, actor, kind: str, body_sq: str = "", body_sr: str = "", body_en: str = "", now=None
) -> EventFollowUp:
    """Write (or change) the minutes or closing report: at least one language."""
    if kind not in FollowUpKind.values:
        raise ValidationError({"kind": _("Choose minutes or a closing report.")})
    bodies = {"body_sq": body_sq, "body_sr": body_sr, "body_en": body_en}
    bodies = {name: (text or "").strip() for name, text in bodies.items()}
    if not any(bodies.values()):
        raise ValidationError(_("Write the text in at least one language."), code="no_text")
    with transaction.atomic():
        _event, follow_up = _lock(event, actor, now)
        follow_up.kind = kind
        for name, text in bodies.items():
            setattr(follow_up, name, text)
        follow_up.updated_by = actor
        follow_up.save()
    return follow_up


def _stored_name(upload, extension: str) -> str:
    original = upload_name(upload)
    upload.name = f"{uuid.uuid4().hex}.{extension}"  # never the uploaded name on disk
    return original


def validate_document(upload) -> str:
    return validate_document_upload(
        upload,
        allowed=DOCUMENT_TYPES,
        message=_("Upload a PDF, Word (DOCX), Excel (XLSX) or OpenDocument text (ODT) file."),
        max_bytes=settings.DIALOGUE_DOCUMENT_MAX_BYTES,
    )


def validate_photo(upload) -> str:
    """A JPEG or PNG judged from its content, and one that Pillow really reads."""
    kind = validate_document_upload(
        upload,
        allowed=PHOTO_TYPES,
        message=_("Upload a photo as JPEG or PNG."),
        max_bytes=settings.DIALOGUE_PHOTO_MAX_BYTES,
    )
    from PIL import Image, UnidentifiedImageError

    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.verify()
            ok = img.format in ("JPEG", "PNG")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        ok = False
    finally:
        upload.seek(pos)
    if not ok:
        raise ValidationError(
            {"file": ValidationError(_("Upload a photo as JPEG or PNG."), code="invalid_image")}
        )
    return kind


def document_add(*, event: Event, actor, upload, title: str = "", now=None) -> FollowUpDocument:
    require(actor, "dialogue.change_event", event)
    check_event_ended(event, now)
    extension = validate_document(upload)
    with transaction.atomic():
        _event, follow_up = _lock(event, actor, now)
        if follow_up.documents.count() >= MAX_DOCUMENTS:
            raise ValidationError(
                _("An event has at most %(max)d documents.") % {"max": MAX_DOCUMENTS}, code="too_many"
            )
        original = _stored_name(upload, extension)
        document = FollowUpDocument(
            follow_up=follow_up,
            title=(title or "").strip()[:200],
            file=upload,
            original_name=original,
            size=upload.size,
            uploaded_by=actor,
        )
        document.save()
        follow_up.updated_by = actor
        follow_up.save(update_fields=["updated_by", "updated_at"])
    return document


def photo_add(*, event: Event, actor, upload, caption: str, now=None) -> FollowUpPhoto:
    require(actor, "dialogue.change_event", event)
    check_event_ended(event, now)
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError({"caption": _("Give the photo a caption.")})
    extension = validate_photo(upload)
    with transaction.atomic():
        _event, follow_up = _lock(event, actor, now)
        if follow_up.photos.count() >= MAX_PHOTOS:
            raise ValidationError(
                _("An event has at most %(max)d photos.") % {"max": MAX_PHOTOS}, code="too_many"
            )
        _stored_name(upload, extension)
        photo = FollowUpPhoto(
            follow_up=follow_up, file=upload, caption=caption[:300], size=upload.size, uploaded_by=actor
        )
        photo.save()
        follow_up.updated_by = actor
        follow_up.save(update_fields=["updated_by", "updated_at"])
    return photo


def file_remove(*, event: Event, actor, item) -> None:
    """Remove a document or photo of the event's follow-up (the file goes after commit)."""
    model = type(item)
    with transaction.atomic():
        _event, follow_up = _lock(event, actor)
        item = model.objects.select_for_update().filter(pk=item.pk, follow_up=follow_up).first()
        if item is None:
            return  # already removed (a double submit)
        name, storage = item.file.name, item.file.storage
        item.delete()
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def follow_up_publish(*, event: Event, actor, now=None) -> EventFollowUp:
    """Show the follow-up on the event's page, and email the people who held a place (in the
    background, once). Publishing again is harmless: nobody is emailed twice."""
    with transaction.atomic():
        _event, follow_up = _lock(event, actor, now)
        if not (follow_up.body_sq or follow_up.body_sr or follow_up.body_en):
            raise ValidationError(
                _("Write the minutes or the closing report before publishing."), code="no_text"
            )
        if follow_up.published_at is None:
            follow_up.published_at = now or timezone.now()
            follow_up.published_by = actor
            follow_up.save(update_fields=["published_at", "published_by", "updated_at"])
        if follow_up.notified_at is None:
            enqueue_on_commit("dialogue.tasks.follow_up_notify", follow_up.pk)
    return follow_up


def follow_up_notify(follow_up_id: int) -> int:
    """Email everyone who held a place at the event that its follow-up is published: once
    (the claim of `notified_at`), each in their language, one outbox email each (a failed
    send is retried for that person by the outbox). Returns how many were queued."""
    with transaction.atomic():
        claimed = EventFollowUp.objects.filter(
            pk=follow_up_id, published_at__isnull=False, notified_at__isnull=True
        ).update(notified_at=timezone.now())
        if not claimed:
            return 0
        follow_up = EventFollowUp.objects.select_related("event", "event__municipality").get(pk=follow_up_id)
        event = follow_up.event
        queued = 0
        seen = set()
        for registration in (
            Registration.objects.filter(event=event, status__in=HOLDS_PLACE)
            .select_related("user")
            .order_by("pk")
        ):
            address = registration.email.lower()
            if address in seen:
                continue
            seen.add(address)
            try:
                with transaction.atomic():
                    email_user_template(
                        template="dialogue/email/follow_up_published",
                        context={"registration": registration, "event": event, "follow_up": follow_up},
                        user=registration.user,
                        to=registration.email,
                    )
            except Exception:  # one person's email must not keep the others from theirs
                logger.exception("follow-up email of event %s to registration %s", event.pk, registration.pk)
                continue
            queued += 1
    return queued
