"""Partnerships born from dialogue: the public list and page, creating one (staff or an
editor of a verified organisation) and editing it (staff or a member's editors)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import add_service_errors
from core.permissions import permission, public
from dialogue import selectors
from dialogue.choices import PartnershipStatus
from dialogue.forms import PartnershipForm
from dialogue.models import Partnership
from dialogue.services import partnerships as services
from dialogue.workflow import PARTNERSHIP

PAGE_SIZE = 20


def load_partnership(request, pk, **kwargs):
    partnership = Partnership.objects.filter(pk=pk).first()
    if partnership is None:
        raise Http404(_("There is no such partnership."))
    return partnership


@public
@require_GET
def partnership_list(request):
    status = request.GET.get("status", "")
    if status not in PartnershipStatus.values:
        status = ""
    page_obj = Paginator(selectors.public_partnerships(status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/partnership_list.html",
        {
            "page_obj": page_obj,
            "partnerships": page_obj.object_list,
            "status": status,
            "statuses": PartnershipStatus.choices,
            "may_create": request.user.has_perm("dialogue.create_partnership"),
        },
    )


@public
@require_GET
def partnership_detail(request, pk):
    partnership = selectors.partnership_detail(pk)
    if partnership is None:
        raise Http404(_("There is no such partnership."))
    return render(
        request,
        "dialogue/partnership_detail.html",
        {
            "partnership": partnership,
            "history": PARTNERSHIP.history(partnership),
            "may_edit": request.user.has_perm("dialogue.change_partnership", partnership),
        },
    )


def _save(request, form, partnership=None):
    data = form.cleaned_data
    fields = {
        "name": data["name"],
        "goal": data["goal"],
        "started_on": data["started_on"],
        "members": data["members"],
        "outputs": data.get("outputs", ""),
        "events": data.get("events") or [],
        "commitments": data.get("commitments") or [],
    }
    if partnership is None:
        return services.partnership_create(actor=request.user, **fields)
    return services.partnership_update(
        partnership=partnership, actor=request.user, status=data.get("status"), **fields
    )


@permission("dialogue.create_partnership")
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_create(request):
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = _save(request, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partnership is recorded."))
            return redirect(partnership)
    status = 400 if request.method == "POST" else 200
    return render(request, "dialogue/partnership_form.html", {"form": form}, status=status)


@permission("dialogue.change_partnership", load=load_partnership, pass_as="partnership", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def partnership_edit(request, pk, partnership):
    statuses = [
        (partnership.status, partnership.get_status_display()),
        *PARTNERSHIP.available_moves(request.user, partnership),
    ]
    if request.method != "POST":
        form = PartnershipForm(
            initial={
                "name": partnership.name,
                "goal": partnership.goal,
                "started_on": partnership.started_on,
                "members": list(partnership.members.all()),
                "outputs": partnership.outputs,
                "events": list(partnership.events.all()),
                "commitments": list(partnership.commitments.all()),
                "status": partnership.status,
            },
            statuses=statuses,
        )
        return render(request, "dialogue/partnership_form.html", {"form": form, "partnership": partnership})
    form = PartnershipForm(request.POST, statuses=statuses)
    if form.is_valid():
        try:
            _save(request, form, partnership)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partnership is updated."))
            return redirect(partnership)
    return render(
        request, "dialogue/partnership_form.html", {"form": form, "partnership": partnership}, status=400
    )
