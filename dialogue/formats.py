"""An event's date, time and place written out in full in the active language (emails, the
digest): "Tuesday, 15 December 2026, 10:00–12:00, Prishtina, Municipal Hall".

Not a copy of the kernel: the formats per language (config/formats, Django's `date_format`)
have no date with its weekday, which an invitation needs; the zone is core.calendar's."""

from core.calendar import BELGRADE


def event_when_in_full(event) -> str:
    """The date and time of an event written out in the active language, in Belgrade time:
    "Tuesday, 15 December 2026, 10:00–12:00" (the end's date too when it ends another day)."""
    from zoneinfo import ZoneInfo

    from django.utils import dateformat, timezone
    from django.utils.translation import pgettext

    zone = ZoneInfo(BELGRADE)
    starts, ends = timezone.localtime(event.starts_at, zone), timezone.localtime(event.ends_at, zone)
    date_format = pgettext("an event's date written in full", "l, j F Y")
    start_day = dateformat.format(starts, date_format)
    if starts.date() == ends.date():
        return f"{start_day}, {starts:%H:%M}–{ends:%H:%M}"
    return f"{start_day}, {starts:%H:%M} – {dateformat.format(ends, date_format)}, {ends:%H:%M}"


def event_place_in_full(event) -> str:
    """Where: "Prishtina, Municipal Hall" (the municipality in the active language), and
    "online" when there is a link."""
    from django.utils.translation import gettext

    parts = []
    if event.municipality_id:
        parts.append(event.municipality.name)
    if event.place:
        parts.append(event.place)
    if event.online_link:
        parts.append(gettext("online") if parts else gettext("Online"))
    return ", ".join(parts)


def event_in_full(event) -> str:
    place = event_place_in_full(event)
    when = event_when_in_full(event)
    return f"{when}, {place}" if place else when
