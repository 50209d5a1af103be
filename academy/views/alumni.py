"""The public alumni directory (opted-in alumni only, cached for visitors) and the
participant's choice to join or leave it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from academy import selectors
from academy.services import alumni
from academy.signals import PAGE_TOPICS
from academy.views.common import load_application
from core.page_cache import anonymous_cache
from core.permissions import permission, public

PAGE_SIZE = 24


@public
@anonymous_cache(topics=PAGE_TOPICS, query=("page",))
@require_GET
def directory(request):
    page_obj = Paginator(selectors.alumni_directory(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "academy/alumni.html", {"page_obj": page_obj, "alumni": page_obj.object_list})


@permission("academy.join_alumni", load=load_application, pass_as="participant", refuse=404)
@require_POST
def listing(request, pk, participant):
    listed = request.POST.get("listed") == "1"
    try:
        alumni.alumni_listing_set(actor=request.user, participant=participant, listed=listed)
    except ValidationError as exc:
        return render(
            request,
            "academy/refused.html",
            {"reason": " ".join(exc.messages), "back": ("academy:sessions", participant.cohort_id)},
            status=409,
        )
    if listed:
        messages.success(request, _("You are now listed in the public alumni directory."))
    else:
        messages.success(request, _("You are no longer listed in the alumni directory."))
    return redirect("academy:sessions", pk=participant.cohort_id)
