"""Files of a request: checked by content and size (core.validators), kept in private storage."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assistance.models import Attachment, HelpRequest, Message
from core.validators import DOCUMENT_CONTENT_TYPES, DOCUMENT_TYPES, upload_name, validate_document_upload

ATTACHMENT_TYPES = DOCUMENT_TYPES
CONTENT_TYPES = DOCUMENT_CONTENT_TYPES
MAX_BYTES = getattr(settings, "ASSISTANCE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
MAX_FILES_PER_UPLOAD = 5


def validate_upload(upload) -> str:
    """The file's real type, or a ValidationError keyed "file" (empty, too large, wrong type)."""
    return validate_document_upload(
        upload,
        allowed=ATTACHMENT_TYPES,
        message=_("Upload a PDF, Word (DOCX), OpenDocument (ODT), Excel (XLSX), JPEG or PNG file."),
        max_bytes=MAX_BYTES,
    )


def validate_uploads(uploads) -> list[str]:
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError(
            {"files": _("Attach at most %(count)d files at once.") % {"count": MAX_FILES_PER_UPLOAD}}
        )
    kinds = []
    for upload in uploads:
        try:
            kinds.append(validate_upload(upload))
        except ValidationError as exc:
            name = upload_name(upload, default="")[:80]
            raise ValidationError({"files": f"{name}: {' '.join(exc.messages)}"}) from None
    return kinds


def store(*, actor, request: HelpRequest, uploads, kinds, message: Message | None = None) -> list[Attachment]:
    """Save checked uploads (call inside the caller's transaction, after `validate_uploads`)."""
    stored = []
    for upload, kind in zip(uploads, kinds, strict=True):
        attachment = Attachment(
            request=request,
            message=message,
            original_name=upload_name(upload),
            size=upload.size,
            file_type=kind,
            uploaded_by=actor,
        )
        upload.seek(0)
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored
