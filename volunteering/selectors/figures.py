"""Figures of volunteering for KCSF staff: people, the diaspora's share, open places and
confirmed hours by municipality, cause and month (a handful of aggregate queries)."""

from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from core.models import Municipality, Sector
from volunteering.choices import HoursStatus
from volunteering.models import HoursEntry, VolunteerProfile
from volunteering.selectors.matching import open_opportunities

MONTHS = 24


def totals() -> dict:
    profiles = VolunteerProfile.objects.filter(user__is_active=True)
    volunteers = profiles.count()
    diaspora = profiles.exclude(country="").exclude(country="XK").count()
    places = open_opportunities().aggregate(left=Sum(F("places") - F("places_filled")))["left"] or 0
    hours = _confirmed().aggregate(total=Sum("hours"))["total"] or Decimal("0")
    return {
        "volunteers": volunteers,
        "diaspora": diaspora,
        "diaspora_share": round(100 * diaspora / volunteers, 1) if volunteers else 0,
        "open_places": places,
        "confirmed_hours": hours,
    }


def _confirmed():
    return HoursEntry.objects.filter(status=HoursStatus.CONFIRMED)


def _named(rows, key: str, model) -> list[tuple[str, Decimal]]:
    names = {obj.pk: obj.name for obj in model.objects.all()}
    out = [(names.get(row[key], "—") if row[key] else "—", row["total"]) for row in rows]
    return sorted(out, key=lambda pair: (-pair[1], str(pair[0])))


def hours_by_municipality() -> list[tuple[str, Decimal]]:
    """(municipality of the opportunity, confirmed hours); remote work without a place as "—"."""
    key = "engagement__opportunity__municipality_id"
    rows = _confirmed().order_by().values(key).annotate(total=Sum("hours"))
    return _named(rows, key, Municipality)


def hours_by_cause() -> list[tuple[str, Decimal]]:
    key = "engagement__opportunity__cause_id"
    rows = _confirmed().order_by().values(key).annotate(total=Sum("hours"))
    return _named(rows, key, Sector)


def hours_by_month(months: int = MONTHS) -> list[tuple[object, Decimal]]:
    """(first day of the month, confirmed hours), newest first, the last `months` with hours."""
    rows = (
        _confirmed()
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("hours"))
        .order_by("-month")[:months]
    )
    return [(row["month"], row["total"]) for row in rows]


def breakdown_rows():
    """Every figure as (breakdown, group, value) rows, for the export."""
    from django.utils.translation import gettext as _

    t = totals()
    yield [_("Totals"), _("Volunteers"), t["volunteers"]]
    yield [_("Totals"), _("Diaspora volunteers"), t["diaspora"]]
    yield [_("Totals"), _("Diaspora share (%)"), t["diaspora_share"]]
    yield [_("Totals"), _("Open places"), t["open_places"]]
    yield [_("Totals"), _("Confirmed hours"), t["confirmed_hours"]]
    for label, hours in hours_by_municipality():
        yield [_("Confirmed hours by municipality"), label, hours]
    for label, hours in hours_by_cause():
        yield [_("Confirmed hours by cause"), label, hours]
    for month, hours in hours_by_month():
        yield [_("Confirmed hours by month"), month.strftime("%Y-%m"), hours]
