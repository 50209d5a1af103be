"""Serving a file kept in private storage, the one way: after the view has checked who may
read it. A file missing from storage is a 404 (never a 500); the content type comes from the
file's checked type (`core.validators.DOCUMENT_CONTENT_TYPES`), never from its name as
uploaded; the browser is told not to sniff another type; the download is named as the person
uploaded it."""

from django.http import FileResponse, Http404

from core.validators import DOCUMENT_CONTENT_TYPES


def file_response(field_file, *, filename: str, file_type: str, inline: bool = False) -> FileResponse:
    """The stored file `field_file` (a FieldFile) as a download named `filename` (shown in the
    page when `inline`, e.g. a photo), typed by its checked `file_type` ("pdf", "png", ...)."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=filename or f"file.{file_type}",
        content_type=DOCUMENT_CONTENT_TYPES.get(file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
