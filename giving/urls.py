"""Pages of the giving tracker under /<lang>/giving/. Each part keeps its own URL module."""

from django.urls import include, path

app_name = "giving"

urlpatterns = [
    path("", include("giving.urls_dashboard")),
    path("records/", include("giving.urls_records")),
    path("imports/", include("giving.urls_imports")),
]
