"""Partner grants endpoints (token scope grants:read), mounted at /api/v1/grants/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from grants.api.views import PartnerApplicationViewSet

urlpatterns = [
    path(
        "applications/",
        PartnerApplicationViewSet.as_view({"get": "list"}),
        name="grants-application-list",
    ),
    path(
        "applications/<slug:reference>/",
        PartnerApplicationViewSet.as_view({"get": "retrieve"}),
        name="grants-application-detail",
    ),
    re_path(r"^applications/[\s\S]+/$", NotFoundView.as_view(), name="grants-application-not-found"),
]
