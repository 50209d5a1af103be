"""The organiser's pages: their events, create and edit an event with its invited sectors
and agenda (formsets), publish / cancel, and the registrations (with a typed registration
for someone without an account)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import add_service_errors
from core.permissions import has_staff_powers, permission
from dialogue import selectors
from dialogue.choices import EventStatus
from dialogue.forms import (
    AgendaFormSet,
    EventForm,
    SectorFormSet,
    TypedRegistrationForm,
    agenda_from,
    sectors_from,
)
from dialogue.rules import editable_organization_ids
from dialogue.services import events as event_services
from dialogue.services import registrations as registration_services
from dialogue.views._common import load_event
from organizations.models import Organization

PAGE_SIZE = 30


@permission("dialogue.create_event")
@require_GET
def my_events(request):
    page_obj = Paginator(selectors.events_organised_by(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "dialogue/organiser_events.html", {"page_obj": page_obj, "events": page_obj.object_list}
    )


def _organizations(user):
    return Organization.objects.filter(pk__in=editable_organization_ids(user)).order_by("name")


def _formsets(data=None, event=None):
    if event is not None and data is None:
        sectors = {s.audience: s.places for s in event.sectors.all()}
        from dialogue.choices import Audience

        sector_initial = [
            {"audience": a, "places": sectors.get(a)} if a in sectors else {"audience": ""}
            for a in Audience.values
        ]
        # the invited ones first, in the order of the choices
        sector_initial.sort(key=lambda row: row["audience"] == "")
        agenda_initial = [
            {"starts_at": i.starts_at, "title": i.title, "speakers": i.speakers} for i in event.agenda.all()
        ]
    else:
        sector_initial, agenda_initial = None, None
    return (
        SectorFormSet(data, prefix="sectors", initial=sector_initial),
        AgendaFormSet(data, prefix="agenda", initial=agenda_initial),
    )


def _save(request, event=None):
    staff = has_staff_powers(request.user)
    post = request.POST if request.method == "POST" else None
    form = EventForm(
        post,
        instance=event,
        organizations=_organizations(request.user)
        if not staff
        else Organization.objects.filter(is_active=True).order_by("name"),
        staff=staff,
    )
    sectors, agenda = _formsets(post, event)
    if post is None:
        return render(
            request,
            "dialogue/event_form.html",
            {"form": form, "sectors": sectors, "agenda": agenda, "event": event},
        )
    if form.is_valid() and sectors.is_valid() and agenda.is_valid():
        try:
            if event is None:
                event = event_services.event_create(
                    actor=request.user,
                    organization=form.cleaned_data.get("organization"),
                    data=form.event_data(),
                    sectors=sectors_from(sectors),
                    agenda=agenda_from(agenda),
                )
                messages.success(request, _("The event is saved as a draft. Publish it when it is ready."))
            else:
                event = event_services.event_update(
                    event=event,
                    actor=request.user,
                    data=form.event_data(),
                    sectors=sectors_from(sectors),
                    agenda=agenda_from(agenda),
                )
                messages.success(request, _("The event is saved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("dialogue:event_detail", pk=event.pk)
    return render(
        request,
        "dialogue/event_form.html",
        {"form": form, "sectors": sectors, "agenda": agenda, "event": event},
        status=400,
    )


@permission("dialogue.create_event")
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request):
    return _save(request)


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request, pk, event):
    if event.status == EventStatus.CANCELLED:
        messages.error(request, _("A cancelled event cannot be changed."))
        return redirect("dialogue:event_detail", pk=event.pk)
    return _save(request, event)


@permission("dialogue.change_event", load=load_event, pass_as="event", refuse=404)
@require_POST
def event_move(request, pk, event):
    target = request.POST.get("target", "")
    try:
        event_services.event_move(event=event, actor=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dialogue:event_detail", pk=event.pk)
    messages.success(request, _("The event is now “%(status)s”.") % {"status": EventStatus(target).label})
    return redirect("dialogue:event_detail", pk=event.pk)


@permission("dialogue.view_registrations", load=load_event, pass_as="event", refuse=404)
@require_http_methods(["GET", "HEAD", "POST"])
def event_registrations(request, pk, event):
    """The registrations of an event (search, by sector), and a registration typed by the
    organiser for someone without an account."""
    status = 200
    if request.method == "POST":
        form = TypedRegistrationForm(request.POST, event=event)
        if form.is_valid():
            try:
                registration = registration_services.registration_create(
                    event=event,
                    sector=form.cleaned_data["sector"],
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organization=form.cleaned_data.get("organization"),
                    organization_name=form.cleaned_data.get("organization_name", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is registered (code %(code)s).")
                    % {"name": registration.name, "code": registration.code},
                )
                return redirect("dialogue:event_registrations", pk=event.pk)
        status = 400
    else:
        form = TypedRegistrationForm(event=event)
    search = request.GET.get("q", "")[:100]
    page_obj = Paginator(selectors.registrations_of_event(event, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dialogue/event_registrations.html",
        {
            "event": event,
            "form": form,
            "page_obj": page_obj,
            "registrations": page_obj.object_list,
            "q": search,
            "places": selectors.sector_places(event),
        },
        status=status,
    )
