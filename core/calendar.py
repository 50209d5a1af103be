"""iCalendar (RFC 5545) text for events: one VEVENT per event in a VCALENDAR, for a
download (`text/calendar`), an email attachment or a feed a calendar app subscribes to.

    from core.calendar import CalendarEvent, calendar
    text = calendar([CalendarEvent(uid="event-7@cea", start=..., end=..., summary="...")],
                    name="CEA events", tz="Europe/Belgrade")

Times are written in UTC (`20260312T090000Z`, the default) or as local times with
`TZID=Europe/Belgrade`, in which case the calendar carries that zone's VTIMEZONE (CET/CEST,
the EU rules). Text values are escaped (backslash, semicolon, comma, newline) and every
line is folded at 75 octets without splitting a UTF-8 character; lines end in CRLF.
A small module of our own: the format we need is a few properties, and it keeps a
dependency out.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BELGRADE = "Europe/Belgrade"
PRODID = "-//KCSF//CEA Portal//EN"
CRLF = "\r\n"
# RFC 5545 allows no control character in a value but tab (a CR or LF would end the content line
# and let a hostile text add properties); lone surrogates cannot be written in UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")

# The zone's rules since 1996 (EU summer time: last Sunday of March to last Sunday of October).
_BELGRADE_VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Belgrade",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # TENTATIVE / CONFIRMED / CANCELLED
    sequence: int = 0  # raise it when the event changes, so calendars update their copy
    stamp: datetime | None = None  # DTSTAMP; now when None
    categories: list[str] = field(default_factory=list)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, newlines as \\n."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def _uri(value: str) -> str:
    """A URI value (not escaped): without any control character."""
    return _CONTROL.sub("", value or "")


def fold(line: str, limit: int = 75) -> str:
    """One content line folded into lines of at most `limit` octets (a continuation line
    starts with a space, which counts), never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def _utc(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("Calendar times must be timezone-aware.")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _time_property(name: str, value: datetime, tz: str | None) -> str:
    if tz is None:
        return f"{name}:{_utc(value)}"
    if value.tzinfo is None:
        raise ValueError("Calendar times must be timezone-aware.")
    local = value.astimezone(ZoneInfo(tz))
    return f"{name};TZID={tz}:{local.strftime('%Y%m%dT%H%M%S')}"


def vevent_lines(event: CalendarEvent, *, tz: str | None = None) -> list[str]:
    """The unfolded content lines of one VEVENT."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{_utc(event.stamp or datetime.now(UTC))}",
        _time_property("DTSTART", event.start, tz),
        _time_property("DTEND", event.end, tz),
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{_uri(event.url)}")  # a URI value: not escaped
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    lines += [f"STATUS:{event.status}", f"SEQUENCE:{int(event.sequence)}", "END:VEVENT"]
    return lines


def calendar(events, *, name: str = "", tz: str | None = None, method: str = "PUBLISH") -> str:
    """A whole VCALENDAR with `events` (CalendarEvent), folded, CRLF line ends. `tz`: None for
    UTC times, or "Europe/Belgrade" (the only zone whose VTIMEZONE is written)."""
    if tz not in (None, BELGRADE):
        raise ValueError(f"Only UTC or {BELGRADE} times are written, not {tz}.")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", f"METHOD:{method}"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    if tz:
        lines.append(f"X-WR-TIMEZONE:{tz}")
        lines += _BELGRADE_VTIMEZONE
    for event in events:
        lines += vevent_lines(event, tz=tz)
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
