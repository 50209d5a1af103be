"""The records API, mounted at /api/v1/giving/ by giving/api/urls.py."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from giving.api.records import GivingRecordBulkView, GivingRecordDetailView, GivingRecordListView

urlpatterns = [
    path("records/", GivingRecordListView.as_view(), name="giving-record-list"),
    path("records/bulk/", GivingRecordBulkView.as_view(), name="giving-record-bulk"),
    path("records/<int:pk>/", GivingRecordDetailView.as_view(), name="giving-record-detail"),
    # Last: a malformed id gets a JSON 404, not the HTML page of the site.
    re_path(r"^records/[\s\S]+/$", NotFoundView.as_view(), name="giving-record-not-found"),
]
