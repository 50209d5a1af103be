"""Reads of volunteering reused by views, the API, tasks and other apps.

Other apps may call `transparency_prefill` (named in TRANSPARENCY_PREFILL_PROVIDERS): the
organisation's volunteers and their confirmed hours in a year.
"""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from volunteering.choices import HoursStatus
from volunteering.models import HoursEntry


def transparency_prefill(organization, year: int) -> list[tuple]:
    """[("volunteers", n, source), ("volunteer_hours", h, source)] from the hours the
    organisation confirmed for work done in `year` (whole hours, rounded); [] when none."""
    totals = HoursEntry.objects.filter(
        engagement__opportunity__organization=organization, status=HoursStatus.CONFIRMED, date__year=year
    ).aggregate(people=Count("engagement__profile", distinct=True), hours=Sum("hours"))
    if not totals["people"]:
        return []
    source = _("confirmed volunteer hours in the portal")
    return [
        ("volunteers", totals["people"], source),
        ("volunteer_hours", round(totals["hours"]), source),
    ]
