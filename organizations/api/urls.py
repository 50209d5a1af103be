"""Organisation endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from organizations.api.views import OrganizationViewSet

app_name = "organizations-api"

urlpatterns = [
    path(
        "organizations/",
        OrganizationViewSet.as_view({"get": "list"}),
        name="organization-list",
    ),
    path(
        "organizations/<slug:slug>/",
        OrganizationViewSet.as_view({"get": "retrieve"}),
        name="organization-detail",
    ),
    # Last: a malformed slug gets a JSON 404, not the HTML page of the site.
    re_path(r"^organizations/[\s\S]+/$", NotFoundView.as_view(), name="organization-not-found"),
]
