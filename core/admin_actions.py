"""Admin actions shared by every app's ModelAdmin."""

import csv

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class _Echo:
    def write(self, value):
        return value


def _cell(obj, name):
    value = getattr(obj, name)
    if hasattr(value, "all") and callable(value.all):  # many-to-many manager
        return "; ".join(str(v) for v in value.all())
    if callable(value):
        value = value()
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        value = display()
    if value is None:
        return ""
    return str(value)


@admin.action(description=_("Export selected to CSV"))
def export_as_csv(modeladmin, request, queryset):
    """CSV of the selected rows with the columns of `csv_export_fields` (or list_display
    model fields). Streams, so large selections do not fill memory."""
    fields = getattr(modeladmin, "csv_export_fields", None) or [
        f for f in modeladmin.list_display if f != "__str__" and hasattr(queryset.model, f)
    ]
    meta = queryset.model._meta
    headers = [str(meta.get_field(f).verbose_name) if _is_field(meta, f) else f for f in fields]
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that spreadsheet programs read UTF-8 (ë, ç, š, đ)
        yield writer.writerow(headers)
        for obj in queryset.iterator(chunk_size=2000) if not queryset._prefetch_related_lookups else queryset:
            yield writer.writerow([_cell(obj, f) for f in fields])

    filename = f"{meta.model_name}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _is_field(meta, name):
    try:
        meta.get_field(name)
    except Exception:  # noqa: BLE001
        return False
    return True
