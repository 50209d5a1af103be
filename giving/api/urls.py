"""The giving API under /api/v1/giving/: one list per part (views/<part>.py)."""

from django.urls import include, path, re_path

from core.api.views import NotFoundView
from giving.api.views.aggregates import GivingAggregatesView
from giving.api.views.records import GivingRecordBulkView, GivingRecordDetailView, GivingRecordListView

# The records API (/api/v1/giving/).
records_patterns = [
    path("records/", GivingRecordListView.as_view(), name="giving-record-list"),
    path("records/bulk/", GivingRecordBulkView.as_view(), name="giving-record-bulk"),
    path("records/<int:pk>/", GivingRecordDetailView.as_view(), name="giving-record-detail"),
    # Last: a malformed id gets a JSON 404, not the HTML page of the site.
    re_path(r"^records/[\s\S]+/$", NotFoundView.as_view(), name="giving-record-not-found"),
]

# The aggregates API (/api/v1/giving/).
aggregates_patterns = [
    path("aggregates/", GivingAggregatesView.as_view(), name="giving-aggregates"),
]

urlpatterns = [
    path("giving/", include(records_patterns)),
    path("giving/", include(aggregates_patterns)),
]
