"""Yearly transparency reports, mounted under /api/v1/transparency/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from transparency.api.reports import TransparencyReportViewSet

urlpatterns = [
    path(
        "reports/",
        TransparencyReportViewSet.as_view({"get": "list"}),
        name="transparency-report-list",
    ),
    path(
        "reports/<int:pk>/",
        TransparencyReportViewSet.as_view({"get": "retrieve"}),
        name="transparency-report-detail",
    ),
    # Last: any other address below reports/ gets a JSON 404, not the HTML page of the site.
    re_path(r"^reports/[\s\S]+/$", NotFoundView.as_view(), name="transparency-report-not-found"),
]
