"""KCSF staff: volunteering in figures, and its export."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.permissions import staff_page
from volunteering.selectors import figures


@staff_page("volunteering.view_figures")
@require_GET
def figures_page(request):
    """Volunteers, the diaspora's share, open places, confirmed hours by municipality, cause
    and month; the CSV/XLSX export."""
    return render(
        request,
        "volunteering/staff_figures.html",
        {
            "totals": figures.totals(),
            "tables": [
                (_("Confirmed hours by municipality"), figures.hours_by_municipality()),
                (_("Confirmed hours by cause"), figures.hours_by_cause()),
            ],
            "months": figures.hours_by_month(),
        },
    )
