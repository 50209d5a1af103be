"""Admin actions shared by every app's ModelAdmin."""

import logging
import tempfile

from django.contrib import admin, messages
from django.db.models import Model
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import exports

logger = logging.getLogger(__name__)

# The CSV is written to a temporary file (in memory up to this size, then on disk) and sent
# once complete: a column that fails gives an error message, never half a file.
SPOOL_BYTES = 5 * 1024 * 1024


class ExportColumnError(Exception):
    def __init__(self, column: str, error: Exception):
        super().__init__(f"{column}: {error}")
        self.column, self.error = column, error


def _cell(modeladmin, obj, name):
    """The value of column `name` for `obj`: a model field or attribute (choices shown by
    their label, many-to-many joined, methods called), else a method of the ModelAdmin
    taking the object (as in `list_display`). Plain values (numbers, dates, booleans) stay
    as they are; anything else becomes text, so that core.exports defuses formulas in it."""
    if hasattr(obj, name):
        value = getattr(obj, name)
        if hasattr(value, "all") and callable(value.all):  # many-to-many manager
            return "; ".join(str(v) for v in value.all())
        if callable(value):
            value = value()
        display = getattr(obj, f"get_{name}_display", None)
        if callable(display):
            value = display()
    elif callable(getattr(modeladmin, name, None)):
        value = getattr(modeladmin, name)(obj)
    else:
        raise AttributeError(f"neither {type(obj).__name__} nor {type(modeladmin).__name__} has '{name}'")
    if isinstance(value, Model | Promise):
        value = str(value)
    return value


def _row(modeladmin, obj, fields):
    row = []
    for name in fields:
        try:
            row.append(_cell(modeladmin, obj, name))
        except Exception as exc:  # reported to the admin, with the column
            raise ExportColumnError(name, exc) from exc
    return row


@admin.action(description=_("Export selected to CSV"))
def export_as_csv(modeladmin, request, queryset):
    """CSV of the selected rows with the columns of `csv_export_fields` (or list_display
    model fields), written by core.exports (UTF-8 with a byte-order mark, formulas defused).
    A column that cannot be read stops the export with an error message in the admin."""
    fields = getattr(modeladmin, "csv_export_fields", None) or [
        f for f in modeladmin.list_display if f != "__str__" and hasattr(queryset.model, f)
    ]
    meta = queryset.model._meta
    headers = [str(meta.get_field(f).verbose_name) if _is_field(meta, f) else f for f in fields]
    objects = queryset.iterator(chunk_size=2000) if not queryset._prefetch_related_lookups else queryset

    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        exports.write_csv(out, headers, (_row(modeladmin, obj, fields) for obj in objects))
    except Exception as exc:
        out.close()
        logger.exception("Admin CSV export of %s failed", meta.label)
        if isinstance(exc, ExportColumnError):
            message = _("The export failed on the column “%(column)s” (%(error)s); nothing was exported.") % {
                "column": exc.column,
                "error": exc.error,
            }
        else:
            message = _("The export failed (%(error)s); nothing was exported.") % {"error": exc}
        modeladmin.message_user(request, message, messages.ERROR)
        return None
    out.seek(0)
    filename = f"{meta.model_name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = FileResponse(
        out, as_attachment=True, filename=filename, content_type=exports.CONTENT_TYPES["csv"]
    )
    return response


def _is_field(meta, name):
    try:
        meta.get_field(name)
    except Exception:  # noqa: BLE001
        return False
    return True
