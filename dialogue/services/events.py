"""Events: created and changed by their organiser (KCSF staff, or an editor of a verified
organisation for that organisation) with the sectors invited and the agenda; published and
cancelled through the workflow (a cancellation is emailed to everyone registered)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import has_staff_powers, require
from dialogue.choices import ACTIVE_REGISTRATION, HOLDS_PLACE, Audience, EventStatus
from dialogue.models import AgendaItem, Event, EventSector
from dialogue.rules import editable_organization_ids
from dialogue.services.registrations import promote_waiting
from dialogue.workflow import EVENT

EVENT_FIELDS = (
    "kind",
    "title_sq",
    "title_sr",
    "title_en",
    "description_sq",
    "description_sr",
    "description_en",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "municipality",
    "registration_opens_at",
    "registration_closes_at",
)


def check_event_data(data: dict) -> None:
    """The invariants the database also enforces, as translated messages."""
    errors = {}
    if data["ends_at"] <= data["starts_at"]:
        errors["ends_at"] = _("The event must end after it starts.")
    if data["registration_closes_at"] <= data["registration_opens_at"]:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    elif data["registration_closes_at"] > data["ends_at"]:
        errors["registration_closes_at"] = _("Registration must close before the event ends.")
    if not (data.get("place") or "").strip() and not (data.get("online_link") or "").strip():
        errors["place"] = _("Give the place or an online link.")
    if errors:
        raise ValidationError(errors)


def _check_sectors(sectors: list[tuple[str, int]]) -> None:
    seen = set()
    if not sectors:
        raise ValidationError(_("Invite at least one sector."), code="no_sectors")
    for audience, places in sectors:
        if audience not in Audience.values:
            raise ValidationError(_("Choose a sector from the list."), code="bad_sector")
        if audience in seen:
            raise ValidationError(_("Each sector is invited once."), code="sector_twice")
        if places is None or places < 1:
            raise ValidationError(_("Each invited sector needs at least one place."), code="no_places")
        seen.add(audience)


def _check_organization(actor, organization) -> None:
    if organization is None:
        if not has_staff_powers(actor):
            raise ValidationError(
                _("Choose the organisation that organises the event."), code="no_organization"
            )
        return
    if organization.pk not in editable_organization_ids(actor) and not has_staff_powers(actor):
        raise PermissionDenied(_("You may organise events only for a verified organisation you edit."))


def event_create(
    *, actor, organization, data: dict, sectors: list[tuple[str, int]], agenda: list[dict]
) -> Event:
    require(actor, "dialogue.create_event")
    _check_organization(actor, organization)
    check_event_data(data)
    _check_sectors(sectors)
    with transaction.atomic():
        event = Event.objects.create(
            organization=organization, created_by=actor, **{k: data.get(k) for k in EVENT_FIELDS if k in data}
        )
        EventSector.objects.bulk_create(EventSector(event=event, audience=a, places=p) for a, p in sectors)
        _save_agenda(event, agenda)
    return event


def _save_agenda(event: Event, agenda: list[dict]) -> None:
    event.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            event=event, starts_at=item["starts_at"], title=item["title"], speakers=item.get("speakers", "")
        )
        for item in agenda
    )


def event_update(
    *, event: Event, actor, data: dict, sectors: list[tuple[str, int]], agenda: list[dict]
) -> Event:
    """Change an event, its sectors (places can grow — the waiting list moves up — or shrink
    down to the people already holding one; a sector with registrations stays) and agenda."""
    require(actor, "dialogue.change_event", event)
    check_event_data(data)
    _check_sectors(sectors)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status == EventStatus.CANCELLED:
            raise ValidationError(_("A cancelled event cannot be changed."), code="cancelled")
        for name in EVENT_FIELDS:
            if name in data:
                setattr(event, name, data[name])
        event.save()
        wanted = dict(sectors)
        current = {s.audience: s for s in EventSector.objects.select_for_update().filter(event=event)}
        for audience, sector in current.items():
            if audience not in wanted:
                if sector.registrations.filter(status__in=ACTIVE_REGISTRATION).exists():
                    raise ValidationError(
                        _("“%(sector)s” has registrations and cannot be removed.") % {"sector": sector},
                        code="sector_in_use",
                    )
                sector.registrations.all().delete()
                sector.delete()
        for audience, places in wanted.items():
            sector = current.get(audience)
            if sector is None:
                EventSector.objects.create(event=event, audience=audience, places=places)
                continue
            taken = sector.registrations.filter(status__in=HOLDS_PLACE).count()
            if places < taken:
                raise ValidationError(
                    _(
                        "“%(sector)s” already has %(taken)d people registered: it needs at least that many places."
                    )
                    % {"sector": sector, "taken": taken},
                    code="places_below_taken",
                )
            if places != sector.places:
                sector.places = places
                sector.save(update_fields=["places"])
                promote_waiting(sector_id=sector.pk, actor=actor)
        _save_agenda(event, agenda)
    return event


def event_move(*, event: Event, actor, target: str) -> Event:
    """Publish or cancel; a cancellation is emailed to everyone registered or waiting."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status == target:
            return event  # a double submit
        EVENT.move(event, target, actor=actor)
        if target == EventStatus.CANCELLED:
            for registration in event.registrations.filter(status__in=ACTIVE_REGISTRATION).select_related(
                "user"
            ):
                email_user_template(
                    template="dialogue/email/event_cancelled",
                    context={"registration": registration, "event": event},
                    user=registration.user,
                    to=registration.email,
                )
    return event
