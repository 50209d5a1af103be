"""Public-funding endpoints, under /api/v1/transparency/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from transparency.api import funding

urlpatterns = [
    path("public-funding/", funding.PublicFundingListCreateView.as_view(), name="public-funding-list"),
    path("public-funding/bulk/", funding.PublicFundingBulkView.as_view(), name="public-funding-bulk"),
    path("public-funding/<int:id>/", funding.PublicFundingDetailView.as_view(), name="public-funding-detail"),
    # Last: a malformed id gets a JSON 404, not the HTML page of the site.
    re_path(r"^public-funding/[\s\S]+$", NotFoundView.as_view(), name="public-funding-not-found"),
]
