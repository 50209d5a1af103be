"""KCSF's page of the programme in figures, filtered by year and cohort in the URL, with the
yearly report (PDF, XLSX) built in the background (core.reports, academy.exports)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from academy.selectors import figures
from core.permissions import staff_page


@staff_page("academy.view_figures")
@require_GET
def figures_page(request):
    filters, errors = figures.parse_filters(request.GET)
    data = figures.figures(filters) if not errors else None
    tables = []
    if data:
        tables = [(_("Per cohort"), data["by_cohort"], False), (_("Per year"), data["by_year"], True)]
    return render(
        request,
        "academy/staff_figures.html",
        {
            "data": data,
            "tables": tables,
            "errors": errors,
            "filters": filters,
            "cohorts": figures.cohort_choices(),
            "year_value": request.GET.get("year", "")[:10],
            "cohort_value": request.GET.get("cohort", "")[:10],
        },
        status=400 if errors else 200,
    )
