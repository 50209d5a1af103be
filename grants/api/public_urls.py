"""Public grants endpoints, mounted at /api/v1/grants/ by grants/api/urls.py."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from grants.api.views import AwardedGrantViewSet, CallViewSet

urlpatterns = [
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
