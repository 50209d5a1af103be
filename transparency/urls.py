"""Pages of the transparency platform under /<lang>/transparency/. Each part keeps its own URL module."""

from django.urls import include, path

app_name = "transparency"

urlpatterns = [
    path("reports/", include("transparency.urls_reports")),
    path("badges/", include("transparency.urls_badges")),
    path("public-funding/", include("transparency.urls_funding")),
    path("strategy/", include("transparency.urls_strategy")),
]
