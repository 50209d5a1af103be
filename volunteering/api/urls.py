"""The volunteering API under /api/v1/volunteering/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from volunteering.api.views import HoursFiguresView, OpportunityViewSet

urlpatterns = [
    path(
        "volunteering/opportunities/",
        OpportunityViewSet.as_view({"get": "list"}),
        name="volunteering-opportunity-list",
    ),
    path(
        "volunteering/opportunities/<int:pk>/",
        OpportunityViewSet.as_view({"get": "retrieve"}),
        name="volunteering-opportunity-detail",
    ),
    path("volunteering/hours/", HoursFiguresView.as_view(), name="volunteering-hours"),
    re_path(r"^volunteering/[\s\S]+$", NotFoundView.as_view(), name="volunteering-not-found"),
]
