"""A session's materials: files (checked by content and size, core.validators; kept in private
storage) and links, added by the session's facilitator (or the cohort's) and staff.

The file checks and the removal of a stored file are shared with the CSO trainings' materials
(`academy.services.trainings`): `checked_file`, `delete_after_commit`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from academy.models import Session, SessionMaterial
from academy.services.common import require
from core.validators import DOCUMENT_CONTENT_TYPES, DOCUMENT_TYPES, upload_name, validate_document_upload

MATERIAL_TYPES = DOCUMENT_TYPES
CONTENT_TYPES = DOCUMENT_CONTENT_TYPES
MAX_BYTES = getattr(settings, "ACADEMY_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)
MAX_PER_SESSION = 30


def checked_file(upload, *, message: str) -> tuple[str, str]:
    """(type, name) of an uploaded material: its type judged from its content, at most
    MAX_BYTES (core.validators; errors keyed "file", `message` for a type not taken), and
    the name it was sent with, without any folder."""
    kind = validate_document_upload(upload, allowed=MATERIAL_TYPES, message=message, max_bytes=MAX_BYTES)
    return kind, upload_name(upload)


def delete_after_commit(material) -> None:
    """Delete `material`'s row now and its stored file once the transaction commits (a
    rollback keeps both)."""
    stored = material.file.name if material.file else ""
    storage = material.file.storage
    material.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def material_add(*, actor, session: Session, title: str, upload=None, link: str = "") -> SessionMaterial:
    """Attach a file or a link (one of the two) to the session. Errors are keyed by field."""
    require(actor, "academy.manage_materials", session)
    session = Session.objects.select_for_update().get(pk=session.pk)
    title = (title or "").strip()
    link = (link or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the material a title.")
    if bool(upload) == bool(link):
        errors["file"] = _("Attach a file or give a link (one of the two).")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _("Give a web address that starts with https:// or http://.")
    if SessionMaterial.objects.filter(session=session).count() >= MAX_PER_SESSION:
        errors["file"] = _("A session has at most %(count)d materials.") % {"count": MAX_PER_SESSION}
    if errors:
        raise ValidationError(errors)
    material = SessionMaterial(session=session, title=title[:200], link=link, added_by=actor)
    if upload:
        kind, material.original_name = checked_file(
            upload,
            message=_("Upload a PDF, Word (DOCX), OpenDocument (ODT), Excel (XLSX), JPEG or PNG file."),
        )
        material.size = upload.size
        material.file_type = kind
        upload.seek(0)
        material.file.save(material.original_name, upload, save=False)
    material.save()
    return material


@transaction.atomic
def material_remove(*, actor, material: SessionMaterial) -> None:
    require(actor, "academy.manage_materials", material.session)
    delete_after_commit(material)
