"""Awarded grants, public (namespace "grants"), under /<lang>/grants/awarded/."""

from django.urls import path

from grants import views_open_data

urlpatterns = [
    path("", views_open_data.awarded_list, name="awarded_list"),
    path("360giving.json", views_open_data.awarded_360_json, name="awarded_360_json"),
    path("360giving.csv", views_open_data.awarded_360_csv, name="awarded_360_csv"),
]
