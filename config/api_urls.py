"""Every app mounts its API here, under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("organizations.api.urls")),
    path("", include("giving.api.urls")),
    path("", include("transparency.api.urls")),
    path("", include("grants.api.urls")),
    path("", include("assistance.api.urls")),
    path("", include("volunteering.api.urls")),
    path("", include("dialogue.api.urls")),
    path("", include("academy.api.urls")),
]
