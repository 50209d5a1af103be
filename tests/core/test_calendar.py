"""core.calendar: RFC 5545 text — escaping, folding at 75 octets, UTC or Europe/Belgrade."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.calendar import CalendarEvent, calendar, escape_text, fold

START = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)  # 10:00 in Belgrade (summer time)
END = datetime(2026, 7, 1, 10, 30, tzinfo=UTC)


def _event(**kwargs):
    return CalendarEvent(uid="e1@test", start=START, end=END, summary="Tryezë", stamp=START, **kwargs)


def test_text_values_are_escaped():
    assert escape_text("a;b,c\\d\nnew\r\nline") == "a\\;b\\,c\\\\d\\nnew\\nline"


def test_lines_fold_at_75_octets_without_splitting_a_character():
    folded = fold("DESCRIPTION:" + "ë" * 100)
    lines = folded.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "DESCRIPTION:" + "ë" * 100


def test_utc_calendar():
    text = calendar([_event(location="Prishtinë, Sallë 1", url="https://x.test/e/1")])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20260701T080000Z\r\n" in text and "DTEND:20260701T103000Z\r\n" in text
    assert "LOCATION:Prishtinë\\, Sallë 1\r\n" in text and "URL:https://x.test/e/1\r\n" in text
    assert "VTIMEZONE" not in text
    assert "\n" not in text.replace("\r\n", "")


def test_belgrade_times_carry_the_zone():
    winter = CalendarEvent(
        uid="w@test",
        start=datetime(2026, 1, 15, 18, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
        end=datetime(2026, 1, 15, 20, 0, tzinfo=ZoneInfo("Europe/Belgrade")),
        summary="W",
        stamp=START,
    )
    text = calendar([_event(), winter], tz="Europe/Belgrade", name="Ngjarjet")
    assert "DTSTART;TZID=Europe/Belgrade:20260701T100000\r\n" in text
    assert "DTSTART;TZID=Europe/Belgrade:20260115T180000\r\n" in text
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/Belgrade" in text
    assert text.count("BEGIN:VEVENT") == 2 and "X-WR-CALNAME:Ngjarjet" in text


def test_cancelled_and_naive_times():
    assert "STATUS:CANCELLED" in calendar([_event(status="CANCELLED")])
    with pytest.raises(ValueError):
        calendar([CalendarEvent(uid="n", start=datetime(2026, 1, 1), end=END, summary="x", stamp=START)])
    with pytest.raises(ValueError):
        calendar([_event()], tz="Europe/Paris")


def test_control_characters_and_line_breaks_cannot_add_properties():
    """A hostile summary, location, URL or UID cannot end its content line and start another
    (ATTENDEE, a second VEVENT...), and no control character reaches the file (RFC 5545 TEXT
    allows none but tab)."""
    text = calendar(
        [
            CalendarEvent(
                uid="e1@test\r\nATTENDEE:mailto:x@evil.test",
                start=START,
                end=END,
                summary="Tryezë\x00\x07\x1b\x7f ok\tfine",
                location="Sallë\rBEGIN:VALARM",
                url="https://x.test/e/1\r\nATTACH:https://evil.test/x",
                stamp=START,
                categories=["a\nEND:VEVENT"],
            )
        ],
        name="CEA\r\nX-EVIL:1",
    )
    lines = text.split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "ATTACH", "BEGIN:VALARM", "X-EVIL")) for line in lines)
    assert lines.count("END:VEVENT") == 1
    assert not any(c in text.replace("\r\n", "") for c in "\x00\x07\x1b\x7f\r\n")
    assert "SUMMARY:Tryezë ok\tfine\r\n" in text
    assert "URL:https://x.test/e/1ATTACH:https://evil.test/x\r\n" in text
