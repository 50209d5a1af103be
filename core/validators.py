"""Upload validators shared by every app: size and real content type, not the file name."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_file_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )


def validate_image_upload(upload) -> None:
    """A logo or photo: at most LOGO_MAX_BYTES, and really an image Pillow can read."""
    if getattr(upload, "_committed", False):  # a file already stored: checked when uploaded
        return
    validate_file_size(upload, settings.LOGO_MAX_BYTES)
    from PIL import Image, UnidentifiedImageError

    try:
        pos = upload.tell() if hasattr(upload, "tell") else 0
        with Image.open(upload) as img:
            img.verify()
            fmt = img.format
        upload.seek(pos)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _("Upload a valid image (PNG, JPEG, WebP or GIF)."), code="invalid_image"
        ) from None
    if fmt not in IMAGE_FORMATS:
        raise ValidationError(_("Upload a valid image (PNG, JPEG, WebP or GIF)."), code="invalid_image")


PDF, DOCX, XLSX, ODT, JPEG, PNG = "pdf", "docx", "xlsx", "odt", "jpg", "png"
DOCUMENT_CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ODT: "application/vnd.oasis.opendocument.text",
    JPEG: "image/jpeg",
    PNG: "image/png",
}
# Every document type the portal takes (a form that takes them all names these).
DOCUMENT_TYPES = tuple(DOCUMENT_CONTENT_TYPES)


# What a DOCX, XLSX or ODT archive may hold (the limits core.tabular sets for a workbook):
# a few kilobytes that unpack to gigabytes are a bomb for whoever opens them later.
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # all entries together
ARCHIVE_MAX_ENTRY = 100 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100  # uncompressed / compressed, for entries above ARCHIVE_RATIO_FROM
ARCHIVE_RATIO_FROM = 1024 * 1024


def archive_is_bounded(
    entries,
    *,
    max_entries: int | None = None,
    max_uncompressed: int | None = None,
    max_entry: int | None = None,
    max_ratio: int | None = None,
    ratio_from: int | None = None,
) -> bool:
    """Whether a zip archive's directory (`ZipFile.infolist()`, read without unpacking
    anything) stays within limits: entries, sizes and compression ratio. The limits are the
    ARCHIVE_* ones unless a caller with its own (the spreadsheet import) passes them."""
    max_entries = ARCHIVE_MAX_ENTRIES if max_entries is None else max_entries
    max_uncompressed = ARCHIVE_MAX_UNCOMPRESSED if max_uncompressed is None else max_uncompressed
    max_entry = ARCHIVE_MAX_ENTRY if max_entry is None else max_entry
    max_ratio = ARCHIVE_MAX_RATIO if max_ratio is None else max_ratio
    ratio_from = ARCHIVE_RATIO_FROM if ratio_from is None else ratio_from
    if len(entries) > max_entries:
        return False
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > max_entry or total > max_uncompressed:
            return False
        if entry.file_size > ratio_from and entry.file_size > max_ratio * max(entry.compress_size, 1):
            return False
    return True


def _read_at_most(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as entry:
        return entry.read(limit)


def _zip_upload_is_bounded(upload) -> bool:
    """False only for a zip archive (DOCX, XLSX, ODT) beyond the ARCHIVE_* limits."""
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        if upload.read(4) != b"PK\x03\x04":
            return True
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            return archive_is_bounded(zf.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError, EOFError):
        return True  # not a readable archive: sniff_document_type refuses it as a wrong type
    finally:
        upload.seek(pos)


def sniff_document_type(upload) -> str | None:
    """The real type of an uploaded file from its content (first bytes, zip structure),
    never from its name: pdf, docx, xlsx, odt, jpg, png, or None (an archive beyond the
    ARCHIVE_* limits, an archive bomb, is None too: it is refused as a wrong type)."""
    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(8)
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as zf:
                    if not archive_is_bounded(zf.infolist()):
                        return None
                    names = set(zf.namelist())
                    if "mimetype" in names and _read_at_most(zf, "mimetype", 100).strip() == (
                        DOCUMENT_CONTENT_TYPES[ODT].encode()
                    ):
                        return ODT
                    if "[Content_Types].xml" in names:
                        if "word/document.xml" in names:
                            return DOCX
                        if "xl/workbook.xml" in names:
                            return XLSX
            except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
                return None
        return None
    finally:
        upload.seek(pos)


# A PDF is read to the end before it is accepted: at most this many pages, and this many bytes
# once its page contents are decompressed (a small file can unpack to gigabytes).
PDF_MAX_PAGES = 1000
PDF_MAX_DECOMPRESSED_BYTES = 100 * 1024 * 1024


def pdf_is_well_formed(upload) -> bool:
    """Whether `upload` (which starts with %PDF-) is a PDF that pypdf reads: a page tree of
    1 to PDF_MAX_PAGES pages whose content streams decompress to at most
    PDF_MAX_DECOMPRESSED_BYTES in all (each stream is cut off by pypdf at that size too).
    "%PDF-" followed by HTML, a truncated or broken file, or a bomb is not."""
    import pypdf
    from pypdf.errors import PyPdfError

    pos = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        limits = {
            name: PDF_MAX_DECOMPRESSED_BYTES
            for name in (
                "zlib_maximum_output_length",
                "lzw_maximum_output_length",
                "run_length_maximum_output_length",
                "array_based_stream_maximum_output_length",
                "maximum_declared_stream_length",
            )
        }
        with pypdf.apply_configuration(**limits):
            reader = pypdf.PdfReader(upload, strict=False)
            if reader.is_encrypted:
                return False
            pages = len(reader.pages)
            if not 1 <= pages <= PDF_MAX_PAGES:
                return False
            total = 0
            for page in reader.pages:
                contents = page.get_contents()
                total += len(contents.get_data()) if contents is not None else 0
                if total > PDF_MAX_DECOMPRESSED_BYTES:
                    return False
        return True
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        return False
    finally:
        upload.seek(pos)


def validate_document_upload(upload, *, allowed, message: str, max_bytes: int) -> str:
    """An uploaded document: not empty, at most `max_bytes`, and of a type in `allowed`
    judged from its content (`sniff_document_type`), never from its name; a PDF must also be
    one that reads (`pdf_is_well_formed`), and an archive (DOCX, XLSX, ODT) within the ARCHIVE_*
    limits. Returns the type; errors are keyed "file" with the codes empty_file,
    file_too_large, archive_too_large, invalid_type and invalid_pdf."""
    if not upload or not getattr(upload, "size", 0):
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty_file")})
    if upload.size > max_bytes:
        message_too_large = _("The file is too large (%(size)s). The limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(max_bytes),
        }
        raise ValidationError({"file": ValidationError(message_too_large, code="file_too_large")})
    if not _zip_upload_is_bounded(upload):
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "The file holds far more data once unpacked than a document of this size "
                        "can (it may be damaged or made to harm). Save it again as a new file."
                    ),
                    code="archive_too_large",
                )
            }
        )
    kind = sniff_document_type(upload)
    if kind is None or kind not in allowed:
        raise ValidationError({"file": ValidationError(message, code="invalid_type")})
    if kind == PDF and not pdf_is_well_formed(upload):
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The PDF cannot be read (damaged, encrypted, or too large once unpacked)."),
                    code="invalid_pdf",
                )
            }
        )
    return kind


UPLOAD_NAME_MAX = 255  # the `original_name` columns' length


def upload_name(upload, *, default: str = "file", max_length: int = UPLOAD_NAME_MAX) -> str:
    """The name a file was uploaded with, to show and to name its download: the base name only
    (any folder dropped, Windows back-slashes too), without control or other unprintable
    characters (a line break would break the download's header), at most `max_length`
    characters; `default` when nothing is left. Never the name the file is stored under."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if name in {"", ".", ".."}:
        return default
    return name[:max_length]
