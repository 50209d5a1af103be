"""Registrations: places per invited sector with a waiting list, cancellation (the first on
that sector's waiting list moves up, with an email) and check-in at the door by code.

Lock order: the EventSector row first (it guards the sector's places), then the
registration. Every registration of a sector is made or freed while its EventSector row is
locked, so places are never over-filled, also under concurrent registrations.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import require
from dialogue.choices import ACTIVE_REGISTRATION, HOLDS_PLACE, EventStatus, RegistrationStatus
from dialogue.models import Event, EventSector, Registration
from dialogue.workflow import REGISTRATION

R = RegistrationStatus
ICS_BUILDER = "dialogue.services.registrations.registration_ics"


def _lock_sector(sector_id: int) -> EventSector:
    return EventSector.objects.select_for_update().select_related("event").get(pk=sector_id)


def places_taken(sector: EventSector) -> int:
    return sector.registrations.filter(status__in=HOLDS_PLACE).count()


def registration_create(
    *,
    event: Event,
    sector: EventSector,
    actor,
    user=None,
    name: str = "",
    email: str = "",
    organization=None,
    organization_name: str = "",
    now=None,
) -> Registration:
    """Register `user` (or a person by `name` and `email`, typed by the organiser) in one of
    the event's invited sectors. Within the registration window only, once per person per
    event. A full sector puts the person on its waiting list (not an error)."""
    require(actor, "dialogue.register")
    if user is not None:
        name = name or user.full_name or user.email
        email = user.email
    name, email = (name or "").strip(), (email or "").strip()
    if not name or not email:
        raise ValidationError(_("Give the person's name and email address."), code="person_missing")
    if sector.event_id != event.pk:
        raise ValidationError(_("This sector is not invited to this event."), code="wrong_sector")
    if organization is not None:
        organization_name = ""
    now = now or timezone.now()
    with transaction.atomic():
        sector = _lock_sector(sector.pk)
        event = sector.event
        if event.status != EventStatus.PUBLISHED:
            raise ValidationError(_("This event does not take registrations."), code="not_published")
        if now < event.registration_opens_at:
            raise ValidationError(_("Registration for this event has not opened yet."), code="not_open")
        if now >= event.registration_closes_at or now >= event.ends_at:
            raise ValidationError(_("Registration for this event has closed."), code="closed")
        active = Registration.objects.filter(event=event, status__in=ACTIVE_REGISTRATION)
        if (user is not None and active.filter(user=user).exists()) or active.filter(
            email__iexact=email
        ).exists():
            raise ValidationError(_("You are already registered for this event."), code="already_registered")
        full = places_taken(sector) >= sector.places
        position = None
        if full:
            position = (
                sector.registrations.filter(status=R.WAITING).aggregate(m=Max("waiting_position"))["m"] or 0
            ) + 1
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=event,
                    sector=sector,
                    user=user,
                    name=name[:200],
                    email=email,
                    organization=organization,
                    organization_name=(organization_name or "").strip()[:200],
                    status=R.WAITING if full else R.REGISTERED,
                    waiting_position=position,
                )
        except IntegrityError:  # a double submit that passed the check at the same moment
            raise ValidationError(
                _("You are already registered for this event."), code="already_registered"
            ) from None
        _email(
            registration,
            "dialogue/email/registration_waiting" if full else "dialogue/email/registration_confirmed",
        )
    return registration


def _email(registration: Registration, template: str) -> None:
    event = registration.event
    attachment = None
    if registration.status == R.REGISTERED:
        attachment = (f"event-{event.pk}.ics", ICS_BUILDER, [registration.pk], "text/calendar")
    email_user_template(
        template=template,
        context={"registration": registration, "event": event},
        user=registration.user,
        to=registration.email,
        attachment=attachment,
    )


def waiting_rank(registration: Registration) -> int | None:
    """The person's place on the sector's waiting list (1 = next to move up)."""
    if registration.status != R.WAITING:
        return None
    return (
        Registration.objects.filter(
            sector_id=registration.sector_id,
            status=R.WAITING,
            waiting_position__lt=registration.waiting_position,
        ).count()
        + 1
    )


def registration_cancel(*, registration: Registration, actor) -> Registration:
    """Cancel a registration (its person or the organiser). When it held a place, the first
    on that sector's waiting list moves up and gets an email. Cancelling twice is harmless."""
    require(actor, "dialogue.cancel_registration", registration)
    with transaction.atomic():
        _lock_sector(registration.sector_id)
        registration = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if registration.status == R.CANCELLED:
            return registration
        if registration.status == R.ATTENDED:
            raise ValidationError(_("This person has already been checked in."), code="attended")
        held_place = registration.status == R.REGISTERED
        registration.waiting_position = None
        REGISTRATION.move(
            registration, R.CANCELLED, actor=actor, fields=["waiting_position"], check_perm=False
        )
        if held_place:
            promote_waiting(sector_id=registration.sector_id, actor=actor)
    return registration


def promote_waiting(*, sector_id: int, actor) -> list[Registration]:
    """Move people up from the waiting list while the sector has free places. Call with the
    EventSector row locked (inside the caller's transaction)."""
    sector = EventSector.objects.get(pk=sector_id)
    free = sector.places - places_taken(sector)
    promoted = []
    if free <= 0:
        return promoted
    for registration in (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event", "user")
        .filter(sector_id=sector_id, status=R.WAITING)
        .order_by("waiting_position", "pk")[:free]
    ):
        registration.waiting_position = None
        REGISTRATION.move(
            registration,
            R.REGISTERED,
            actor=actor,
            fields=["waiting_position"],
            check_perm=False,
            note="moved up from the waiting list",
        )
        _email(registration, "dialogue/email/registration_promoted")
        promoted.append(registration)
    return promoted


def registration_check_in(*, event: Event, code: str, actor) -> tuple[Registration, bool]:
    """Check in the person with `code` at `event`: (registration, newly checked in). A code
    that is unknown, of another event, cancelled or on the waiting list is refused with a
    clear message; checking in twice is harmless."""
    require(actor, "dialogue.check_in_event", event)
    code = "".join((code or "").split()).upper()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("sector")
            .filter(code=code)
            .first()
            if code
            else None
        )
        if registration is None:
            raise ValidationError(_("No registration has this code."), code="unknown_code")
        if registration.event_id != event.pk:
            raise ValidationError(_("This code is a registration for another event."), code="other_event")
        if registration.status == R.ATTENDED:
            return registration, False
        if registration.status == R.WAITING:
            raise ValidationError(_("This person is on the waiting list, not registered."), code="waiting")
        if registration.status == R.CANCELLED:
            raise ValidationError(_("This registration was cancelled."), code="cancelled")
        registration.checked_in_at = timezone.now()
        registration.checked_in_by = actor
        REGISTRATION.move(
            registration, R.ATTENDED, actor=actor, fields=["checked_in_at", "checked_in_by"], check_perm=False
        )
    return registration, True


def registration_ics(registration_id: int, language: str | None = None) -> bytes:
    """The attachment builder of the confirmation emails: the event's calendar file. The send
    task (core.tasks) calls it with the registration's id inside the recipient's language."""
    from django.utils import translation

    from dialogue.selectors import calendar_text

    registration = Registration.objects.select_related("event", "event__municipality").get(pk=registration_id)
    with translation.override(language or translation.get_language()):
        return calendar_text([registration.event]).encode("utf-8")
