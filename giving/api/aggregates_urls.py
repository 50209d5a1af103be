"""The aggregates API, mounted at /api/v1/giving/ by giving/api/urls.py."""

from django.urls import path

from giving.api.aggregates import GivingAggregatesView

urlpatterns = [
    path("aggregates/", GivingAggregatesView.as_view(), name="giving-aggregates"),
]
