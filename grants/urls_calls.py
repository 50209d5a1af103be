"""Public call pages (namespace "grants")."""

from django.urls import path

from grants import views_calls

urlpatterns = [
    path("calls/<slug:slug>/", views_calls.call_detail, name="call_detail"),
    path("", views_calls.call_list, name="call_list"),
]
