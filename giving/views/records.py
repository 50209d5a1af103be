"""Pages for entering, confirming and moderating giving records: the record form for
staff and CSO editors, the public "report a gift" form, "my records", the record page
and the staff moderation queue. Views parse input, check permission with `rules`, call a
service or selector and render; the services check permission again."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from core.permissions import error_text, permission, public, require, signed_in, staff_page
from giving import selectors
from giving.choices import Status
from giving.forms import (
    BulkModerationForm,
    ConfirmForm,
    GivingRecordForm,
    ModerateForm,
    ModerationFilter,
    PublicReportForm,
)
from giving.models import GivingRecord
from giving.rules import editable_org_ids
from giving.services import records as services

MY_RECORDS_PAGE_SIZE = 20
MODERATION_PAGE_SIZE = 50
REPORT_RATE_LIMIT = getattr(settings, "GIVING_REPORT_RATE_LIMIT", 10)  # public reports per IP
REPORT_RATE_WINDOW = 60 * 60  # seconds


def _record_or_404(request, pk: int, perm: str = "giving.view_record") -> GivingRecord:
    """A record the user may see (or act on); any other id is 404, so that ids of other
    people's records reveal nothing."""
    record = selectors.record_for_page(pk=pk)
    if record is None or not request.user.has_perm(perm, record):
        raise Http404(_("No such record."))
    return record


def load_record(request, pk, **kwargs) -> GivingRecord:
    """A record the person may see; any other id is 404 (see `_record_or_404`)."""
    return _record_or_404(request, pk)


def record_page(perm: str, **options):
    """Declare `perm` on the record of the URL, which the person must be able to see."""
    return permission(perm, load=load_record, pass_as="record", **options)


def _duplicate_message(request, existing: GivingRecord) -> str:
    if request.user.has_perm("giving.view_record", existing):
        return format_html(
            '{} <a href="{}">{}</a>',
            _("This gift is already recorded:"),
            reverse("giving:record_detail", kwargs={"pk": existing.pk}),
            _("record #%(pk)s (%(record)s)") % {"pk": existing.pk, "record": existing},
        )
    return _("This gift is already recorded (record #%(pk)s).") % {"pk": existing.pk}


def _warn_near_duplicate(request, record: GivingRecord) -> None:
    if record.possible_duplicate_of_id:
        messages.warning(
            request,
            _(
                "The record was saved, but it looks like record #%(pk)s (same place, cause, a "
                "similar amount and date). KCSF staff will check whether it is the same gift."
            )
            % {"pk": record.possible_duplicate_of_id},
        )


# --- Entry by staff and CSO editors ---------------------------------------------------------


@permission("giving.add_record")
@require_http_methods(["GET", "POST"])
def record_add(request):
    form = GivingRecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        staff = form.is_staff_entry
        try:
            record = services.record_create(
                actor=request.user,
                data=form.service_data(),
                source=form.record_source,
                entered_for=form.cleaned_data.get("entered_for"),
                status=Status.VERIFIED if staff and form.cleaned_data.get("verify_now") else Status.REPORTED,
            )
        except services.DuplicateRecord as exc:
            form.add_error(None, _duplicate_message(request, exc.existing))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The record was saved and published.")
                if record.status == Status.VERIFIED
                else _("The record was saved. It will be public once KCSF staff verify it."),
            )
            _warn_near_duplicate(request, record)
            return redirect("giving:record_detail", pk=record.pk)
    return render(
        request,
        "giving/record_form.html",
        {"form": form, "record": None},
        status=400 if form.errors else 200,
    )


@record_page("giving.change_record")
@require_http_methods(["GET", "POST"])
def record_edit(request, pk, record):
    form = GivingRecordForm(request.POST or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_update(
                actor=request.user,
                record=record,
                data=form.service_data(),
                source=form.record_source,
            )
        except services.DuplicateRecord as exc:
            form.add_error(None, _duplicate_message(request, exc.existing))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record was saved."))
            _warn_near_duplicate(request, record)
            return redirect("giving:record_detail", pk=record.pk)
    # The form changed the instance in place while validating: show the saved record.
    return render(
        request,
        "giving/record_form.html",
        {"form": form, "record": GivingRecord.objects.get(pk=pk)},
        status=400 if form.errors else 200,
    )


# --- The public "report a gift you saw" -----------------------------------------------------


def _client_ip(request) -> str:
    # Behind the load balancer the address is the proxy's unless it sets REMOTE_ADDR
    # (gunicorn --forwarded-allow-ips); X-Forwarded-For is not trusted here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_rate_limit(request) -> bool:
    key = f"giving:report_gift:{_client_ip(request)}"
    cache.add(key, 0, REPORT_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, REPORT_RATE_WINDOW)
        count = 1
    return count > REPORT_RATE_LIMIT


@permission("giving.report_gift", login=False)
@require_http_methods(["GET", "POST"])
def report_gift(request):
    form = PublicReportForm(request.POST or None)
    if request.method == "POST":
        if _over_rate_limit(request):
            return render(
                request,
                "giving/report_gift.html",
                {
                    "form": form,
                    "rate_limited": True,
                    "limit_message": _(
                        "You have sent many reports in a short time. Please try again in an hour."
                    ),
                },
                status=429,
            )
        if form.is_spam:
            # Look like success to the bot, save nothing.
            return redirect("giving:report_gift_thanks")
        if form.is_valid():
            try:
                services.record_report_public(
                    data=form.service_data(), reporter_email=form.cleaned_data.get("reporter_email", "")
                )
            except services.DuplicateRecord:
                request.session["giving_report_known"] = True
                return redirect("giving:report_gift_thanks")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session.pop("giving_report_known", None)
                return redirect("giving:report_gift_thanks")
    return render(request, "giving/report_gift.html", {"form": form}, status=400 if form.errors else 200)


@public
@require_http_methods(["GET", "HEAD"])
def report_gift_thanks(request):
    known = request.session.pop("giving_report_known", False)
    return render(request, "giving/report_gift_thanks.html", {"already_known": known})


# --- My records and confirmation ------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "HEAD"])
def my_records(request):
    org_ids = editable_org_ids(request.user)
    page_obj = Paginator(
        selectors.records_for_user(user=request.user, org_ids=org_ids), MY_RECORDS_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for record in page_obj.object_list:
        confirmable = record.status != Status.REJECTED
        record.can_confirm_recipient = (
            confirmable
            and record.recipient_organization_id in org_ids
            and not record.confirmed_by_recipient_at
        )
        record.can_confirm_donor = (
            confirmable and record.donor_organization_id in org_ids and not record.confirmed_by_donor_at
        )
        record.can_edit = request.user.has_perm("giving.change_record", record)
    return render(
        request,
        "giving/my_records.html",
        {
            "page_obj": page_obj,
            "records": page_obj.object_list,
            "can_add": request.user.has_perm("giving.add_record"),
        },
    )


def _safe_next(request, default: str) -> str:
    """The page to go back to: `next` when it is a path on this site, else `default`. (Only a
    path: `redirect()` would take any other word, such as "-1", for the name of a view.)"""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@record_page("giving.view_record")
@require_POST
def record_confirm(request, pk, record):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether you confirm as the recipient or the donor."))
        return redirect(_safe_next(request, reverse("giving:my_records")))
    require(request.user, "giving.confirm_record", record)
    try:
        record = services.record_confirm(actor=request.user, record=record, side=form.cleaned_data["side"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Thank you: the gift is confirmed. Confidence: %(confidence)s.")
            % {"confidence": record.get_confidence_display()},
        )
    return redirect(_safe_next(request, reverse("giving:my_records")))


# --- The record page ------------------------------------------------------------------------


@record_page("giving.view_record", login=False)
@require_http_methods(["GET", "HEAD"])
def record_detail(request, pk, record):
    return _render_detail(request, record)


def _render_detail(request, record, *, status=200):
    user = request.user
    may_see_private = user.has_perm("giving.view_record_private", record)
    org_ids = editable_org_ids(user)
    is_staff = user.has_perm("giving.moderate_record")
    history = []
    if is_staff:
        history = list(record.history.select_related("history_user").order_by("-history_date", "-history_id"))
    confirmable = record.status != Status.REJECTED
    return render(
        request,
        "giving/record_detail.html",
        {
            "record": record,
            "donor_name": (
                record.donor_name or (record.donor_organization.name if record.donor_organization_id else "")
            )
            if may_see_private
            else record.public_donor_name,
            "may_see_private": may_see_private,
            "can_edit": user.has_perm("giving.change_record", record),
            "can_confirm_recipient": confirmable
            and record.recipient_organization_id in org_ids
            and not record.confirmed_by_recipient_at,
            "can_confirm_donor": confirmable
            and record.donor_organization_id in org_ids
            and not record.confirmed_by_donor_at,
            "transitions": services.available_transitions(user, record),
            "moderate_form": ModerateForm() if is_staff else None,
            "history": history,
            "is_staff": is_staff,
        },
        status=status,
    )


@record_page("giving.moderate_record", staff=True)
@require_POST
def record_moderate(request, pk, record):
    """One moderation action on the record page (verify, reject with a reason, reopen)."""
    form = ModerateForm(request.POST)
    if form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action == services.VERIFY:
                services.record_verify(actor=request.user, record=record)
            elif action == services.REJECT:
                services.record_reject(actor=request.user, record=record, reason=reason)
            else:
                services.record_reopen(actor=request.user, record=record)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return _render_detail(request, record, status=400)
        messages.success(request, _("The record is now: %(status)s.") % {"status": _status_label(record.pk)})
        return redirect("giving:record_detail", pk=record.pk)
    messages.error(request, _("Choose a valid action."))
    return _render_detail(request, record, status=400)


def _status_label(pk) -> str:
    return GivingRecord.objects.get(pk=pk).get_status_display()


# --- Staff moderation queue -----------------------------------------------------------------


@staff_page("giving.moderate_record")
@require_http_methods(["GET", "HEAD"])
def moderation(request):
    return _render_moderation(request, request.GET)


def _render_moderation(request, query, *, status=None):
    data = query.copy()
    if "status" not in data:
        data["status"] = Status.REPORTED
    filterset = ModerationFilter(data, queryset=selectors.moderation_queue())
    valid = filterset.is_valid()
    page_obj = None
    if valid:
        page_obj = Paginator(filterset.qs, MODERATION_PAGE_SIZE).get_page(query.get("page"))
    return render(
        request,
        "giving/moderation.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page_obj,
            "records": page_obj.object_list if page_obj else [],
            "bulk_form": BulkModerationForm(),
            "query": query.urlencode(),
        },
        status=status or (200 if valid else 400),
    )


@staff_page("giving.moderate_record")
@require_POST
def moderation_bulk(request):
    back = _safe_next(request, reverse("giving:moderation"))
    form = BulkModerationForm(request.POST)
    ids = request.POST.getlist("ids")
    problem = None
    if not form.is_valid():
        problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif not ids:
        problem = _("Choose at least one record.")
    else:
        try:
            done, skipped = services.records_bulk_moderate(
                actor=request.user,
                ids=ids,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            problem = error_text(exc)
    if problem:
        messages.error(request, problem)
        return _render_moderation(request, QueryDict(urlsplit(back).query), status=400)
    if form.cleaned_data["action"] == services.VERIFY:
        text = ngettext("%(count)d record verified.", "%(count)d records verified.", len(done))
    else:
        text = ngettext("%(count)d record rejected.", "%(count)d records rejected.", len(done))
    messages.success(request, text % {"count": len(done)})
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(count)d record was skipped: it is no longer waiting for moderation.",
                "%(count)d records were skipped: they are no longer waiting for moderation.",
                len(skipped),
            )
            % {"count": len(skipped)},
        )
    return redirect(back)


@record_page("giving.moderate_record", staff=True)
@require_http_methods(["GET", "HEAD"])
def record_compare(request, pk, record):
    """A record and its possible duplicate side by side (staff)."""
    other = (
        selectors.record_for_page(pk=record.possible_duplicate_of_id)
        if record.possible_duplicate_of_id
        else None
    )
    if other is None:
        raise Http404(_("This record has no possible duplicate."))
    return render(
        request,
        "giving/moderation_compare.html",
        {
            "record": record,
            "other": other,
            "record_transitions": services.available_transitions(request.user, record),
            "other_transitions": services.available_transitions(request.user, other),
        },
    )
