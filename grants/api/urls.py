"""The grants API under /api/v1/grants/ (views.py): public calls and awarded grants, then the
partners' applications; each list ends with a JSON 404 for any other address below it."""

from django.urls import include, path, re_path

from core.api.views import NotFoundView
from grants.api.views import AwardedGrantViewSet, CallViewSet, PartnerApplicationViewSet

# Public grants endpoints, mounted at /api/v1/grants/.
public_patterns = [
    path("calls/", CallViewSet.as_view({"get": "list"}), name="grants-call-list"),
    path("calls/<slug:slug>/", CallViewSet.as_view({"get": "retrieve"}), name="grants-call-detail"),
    path("awarded/", AwardedGrantViewSet.as_view({"get": "list"}), name="grants-awarded-list"),
    path(
        "awarded/<slug:identifier>/",
        AwardedGrantViewSet.as_view({"get": "retrieve"}),
        name="grants-awarded-detail",
    ),
    # Last: any other address below these gets a JSON 404, not the HTML page of the site.
    re_path(r"^(calls|awarded)/[\s\S]+/$", NotFoundView.as_view(), name="grants-public-not-found"),
]

# Partner grants endpoints (token scope grants:read), mounted at /api/v1/grants/.
partner_patterns = [
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

urlpatterns = [
    path("grants/", include(public_patterns)),
    path("grants/", include(partner_patterns)),
]
