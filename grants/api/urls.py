"""The grants API under /api/v1/grants/."""

from django.urls import include, path

urlpatterns = [
    path("grants/", include("grants.api.public_urls")),
    path("grants/", include("grants.api.partner_urls")),
]
