"""Bulk import pages: the template, the upload, the row-by-row review and the commit.

Staff and the owners and editors of a verified organisation may import
(`giving.import_records`; an unverified organisation or informal group may not: its people
enter gifts one by one); a batch is seen only by who uploaded it and by staff (anyone else
gets a 404). The upload request does only the quick checks (size, type, the archive of a
workbook, the header) and answers 400 at once; the file is read whole by a Celery task
with time and memory limits.
"""

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import tabular
from core.exports import CONTENT_TYPES
from core.money import AmountFormatField
from core.permissions import permission
from giving.models import ImportBatch
from giving.services import imports
from organizations.models import Organization

ERRORS_PAGE_SIZE = 200


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel workbook (.xlsx), at most 10 MB and 20,000 rows."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": tabular.ACCEPT}),
    )
    entered_for = forms.ModelChoiceField(
        label=gettext_lazy("On behalf of"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=gettext_lazy("The organisation whose records these are."),
    )
    amount_format = AmountFormatField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["entered_for"]
        if user.has_perm("giving.import_for_any_organization"):
            field.queryset = Organization.objects.filter(is_active=True).order_by("name")
            field.empty_label = _("— none (KCSF staff entry) —")
        else:
            from giving.rules import importing_org_ids

            field.queryset = Organization.objects.filter(pk__in=importing_org_ids(user)).order_by("name")
            field.required = True
            if field.queryset.count() == 1:
                field.initial = field.queryset.first().pk


may_import = permission(
    "giving.import_records",
    message=gettext_lazy(
        "Only KCSF staff and editors of a verified organisation can import giving records. "
        "Until your organisation is verified, add gifts one by one."
    ),
)


def load_batch(request, pk, **kwargs) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("entered_for", "uploaded_by"), pk=pk)


# Someone else's batch is a 404: its id reveals nothing.
batch_page = permission("giving.view_import_batch", load=load_batch, pass_as="batch", refuse=404)


@may_import
@require_http_methods(["GET", "HEAD"])
def import_template(request):
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        return HttpResponse(_("Choose the format csv or xlsx."), status=400, content_type="text/plain")
    out = io.BytesIO()
    if fmt == "csv":
        imports.write_template_csv(out)
    else:
        imports.write_template_xlsx(out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="giving-import-template.{fmt}"'
    return response


@may_import
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_start(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                entered_for=form.cleaned_data["entered_for"],
                amount_language=form.cleaned_data["amount_format"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                for error in exc.messages:
                    form.add_error("file", error)
        else:
            return redirect("giving:import_review", pk=batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "giving/import_upload.html",
        {"form": form, "max_rows": settings.GIVING_IMPORT_MAX_ROWS},
        status=status,
    )


@batch_page
@require_GET
@never_cache
def import_progress(request, pk, batch):
    """The progress fragment of a batch, polled by htmx every second while the file is
    checked or imported. Once it is done the fragment asks htmx to reload the page (which
    then shows the results). Without htmx: the review page."""
    if not request.htmx:
        return redirect("giving:import_review", pk=batch.pk)
    batch.progress = imports.shown_progress(batch)
    response = render(request, "giving/import_progress.html", {"batch": batch})
    if not batch.is_running:
        response["HX-Refresh"] = "true"
    return response


@batch_page
@require_http_methods(["GET", "HEAD"])
@never_cache
def import_review(request, pk, batch):
    if batch.is_running or batch.state == ImportBatch.State.FAILED:
        batch.progress = imports.shown_progress(batch)
        return render(request, "giving/import_review.html", {"batch": batch, "running": True})
    page = Paginator(batch.errors, ERRORS_PAGE_SIZE).get_page(request.GET.get("page"))
    duplicates = [
        entry for entry in batch.payload if entry.get("duplicate_of") or entry.get("duplicate_of_row")
    ]
    near = [entry for entry in batch.payload if entry.get("near_duplicate_of")]
    earlier = (
        ImportBatch.objects.filter(file_hash=batch.file_hash, state=ImportBatch.State.IMPORTED)
        .exclude(pk=batch.pk)
        .order_by("-created_at")
        .first()
    )
    return render(
        request,
        "giving/import_review.html",
        {
            "batch": batch,
            "errors_page": page,
            "rows_invalid": imports.rows_invalid(batch),
            "duplicates": duplicates[:ERRORS_PAGE_SIZE],
            "near_duplicates": near[:ERRORS_PAGE_SIZE],
            "earlier_import": earlier,
            "can_verify": request.user.has_perm("giving.moderate_record"),
        },
    )


@batch_page
@require_POST
def import_commit(request, pk, batch):
    action = request.POST.get("mode", "")
    if action == "discard":
        imports.import_discard(actor=request.user, batch=batch)
        messages.info(request, _("The import is discarded; nothing was imported."))
        return redirect("giving:import_upload")
    if action not in imports.MODES:
        messages.error(request, _("Choose how to import the file."))
        return redirect("giving:import_review", pk=batch.pk)
    try:
        started = imports.import_commit_start(
            actor=request.user, batch=batch, mode=action, verify=request.POST.get("verify") == "on"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("giving:import_review", pk=batch.pk)
    if not started:
        messages.info(request, _("This file was already handled; nothing more was imported."))
        return redirect("giving:import_review", pk=batch.pk)
    batch.refresh_from_db()
    if batch.state == ImportBatch.State.IMPORTED:  # the task already ran (e.g. eagerly)
        messages.success(
            request,
            _("%(count)s records imported.") % {"count": batch.rows_imported}
            if batch.rows_imported
            else _("Nothing new to import: every valid row is already recorded."),
        )
    else:
        messages.info(request, _("The import has started. This page shows its progress."))
    return redirect("giving:import_review", pk=batch.pk)
