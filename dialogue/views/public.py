"""Public pages of dialogue: the events (upcoming / past, filters in the URL), an event's
page with its places and attendance by sector, calendar files, registration with its
confirmation (code + QR code) and the person's own registrations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import qr
from core.forms import add_service_errors
from core.page_cache import anonymous_cache
from core.permissions import permission, public, signed_in
from dialogue import selectors
from dialogue.forms import EventFilterForm, RegistrationForm
from dialogue.models import Registration
from dialogue.services import registrations as registration_services
from dialogue.signals import PAGE_TOPICS
from dialogue.views._common import load_event, load_registration

PAGE_SIZE = 20


@public
@anonymous_cache(topics=PAGE_TOPICS, query=(*EventFilterForm.base_fields, "page"))
@require_GET
def event_list(request):
    form = EventFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    events = selectors.public_events(
        when=data.get("when") or "upcoming",
        municipality=data.get("municipality"),
        topic=data.get("topic"),
        kind=data.get("kind") or "",
        audience=data.get("sector") or "",
    )
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogue/event_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "events": page_obj.object_list,
            "past": data.get("when") == "past",
        },
        status=200 if valid else 400,
    )


def _trust_survey_links(user, event) -> list:
    """The trust surveys `user` may still answer at `event`: [(moment, label)]."""
    from dialogue.choices import SurveyMoment
    from dialogue.services import trust as trust_services

    registration = trust_services.survey_registration(user, event)
    if registration is None:
        return []
    return [
        (moment, label)
        for moment, label in SurveyMoment.choices
        if trust_services.moment_open(event, moment)
        and not trust_services.already_answered(registration, moment)
    ]


def _event_context(request, event, **extra):
    user = request.user
    return {
        "event": event,
        "places": selectors.sector_places(event),
        "my_registration": selectors.registration_of_user(user, event),
        "may_organise": user.has_perm("dialogue.change_event", event),
        "registration_open": event.registration_open(),
        "commitments": selectors.public_commitments(event=event)[:50] if event.is_public else [],
        "trust": selectors.trust_barometer(event) if event.is_public else None,
        "trust_survey": _trust_survey_links(user, event),
        "follow_up": selectors.published_follow_up(event),
        **extra,
    }


@permission("dialogue.view_event", load=load_event, pass_as="event", login=False, refuse=404)
@require_GET
def event_detail(request, pk, event):
    return render(request, "dialogue/event_detail.html", _event_context(request, event))


@permission("dialogue.view_event", load=load_event, pass_as="event", login=False, refuse=404)
@require_GET
def event_ics(request, pk, event):
    response = HttpResponse(selectors.calendar_text([event]), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@public
@require_GET
def events_feed(request):
    response = HttpResponse(
        selectors.calendar_text(selectors.calendar_feed_events()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="dialogue-events.ics"'
    return response


@permission("dialogue.view_event", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, pk, event):
    """Register for an event: the sector and the organisation (from the registry or typed)."""
    existing = selectors.registration_of_user(request.user, event)
    if existing is not None:
        messages.info(request, _("You are already registered for this event."))
        return redirect("dialogue:registration_confirmation", code=existing.code)
    if request.method != "POST":
        form = RegistrationForm(event=event)
        return render(request, "dialogue/register.html", {"event": event, "form": form}, status=200)
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        try:
            registration = registration_services.registration_create(
                event=event,
                sector=form.cleaned_data["sector"],
                actor=request.user,
                user=request.user,
                organization=form.cleaned_data.get("organization"),
                organization_name=form.cleaned_data.get("organization_name", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("dialogue:registration_confirmation", code=registration.code)
    return render(request, "dialogue/register.html", {"event": event, "form": form}, status=400)


def _by_code(code: str) -> Registration:
    registration = (
        Registration.objects.select_related("event", "event__municipality", "sector")
        .filter(code=code)
        .first()
    )
    if registration is None:
        raise Http404(_("There is no such registration."))
    return registration


@public  # the code is the ticket: whoever holds it sees it (and nothing else)
@require_GET
def registration_confirmation(request, code):
    registration = _by_code(code)
    return render(
        request,
        "dialogue/registration_confirmation.html",
        {
            "registration": registration,
            "event": registration.event,
            "qr_svg": qr.svg(registration.code, title=_("QR code of your registration")),
            "waiting_rank": registration_services.waiting_rank(registration),
            "may_cancel": request.user.has_perm("dialogue.cancel_registration", registration),
        },
    )


@signed_in
@require_GET
def my_registrations(request):
    page_obj = Paginator(selectors.registrations_of_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/my_registrations.html",
        {"page_obj": page_obj, "registrations": page_obj.object_list},
    )


@permission("dialogue.cancel_registration", load=load_registration, pass_as="registration", refuse=404)
@require_POST
def registration_cancel(request, pk, registration):
    try:
        registration_services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dialogue:my_registrations")
    messages.success(request, _("Your registration is cancelled."))
    if request.user.pk != registration.user_id:
        return redirect("dialogue:event_registrations", pk=registration.event_id)
    return redirect("dialogue:my_registrations")
