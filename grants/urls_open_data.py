"""Awarded grants, public (namespace "grants")."""

from django.urls import path

from grants import views_open_data

urlpatterns = [
    path("", views_open_data.awarded_list, name="awarded_list"),
]
