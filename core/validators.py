"""Upload validators shared by every app: size and real content type, not the file name."""

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
