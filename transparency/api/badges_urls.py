"""Badge endpoints, mounted at /api/v1/transparency/ by transparency/api/urls.py."""

from django.urls import path

from transparency.api.badges import BadgeListView, MethodologyView

urlpatterns = [
    path("badges/", BadgeListView.as_view(), name="transparency-badge-list"),
    path("methodology/", MethodologyView.as_view(), name="transparency-badge-methodology"),
]
