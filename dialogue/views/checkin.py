"""Check-in at the door, on a phone: scan the QR code (static/dialogue/checkin.js, jsQR) or
search the list, one tap per person."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.permissions import permission
from dialogue import selectors
from dialogue.choices import RegistrationStatus
from dialogue.services import registrations as registration_services
from dialogue.views._common import load_event

PAGE_SIZE = 30


@permission("dialogue.check_in_event", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request, pk, event):
    status, error, search = 200, "", request.GET.get("q", "")[:100]
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        try:
            registration, new = registration_services.registration_check_in(
                event=event, code=code, actor=request.user
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        else:
            if new:
                messages.success(request, _("%(name)s is checked in.") % {"name": registration.name})
            else:
                messages.info(request, _("%(name)s was already checked in.") % {"name": registration.name})
            back = request.POST.get("q", "")[:100]
            return HttpResponseRedirect(request.path + ("?" + urlencode({"q": back}) if back else ""))
    registrations = selectors.registrations_of_event(event, search=search).filter(
        status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED)
    )
    page_obj = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/check_in.html",
        {
            "event": event,
            "page_obj": page_obj,
            "registrations": page_obj.object_list,
            "q": search,
            "error": error,
            "places": selectors.sector_places(event),
        },
        status=status,
    )
