"""KCSF's pages (namespace "grants")."""

from django.urls import path

from grants import views_staff

urlpatterns = [
    path("", views_staff.staff_calls, name="staff_calls"),
    path("applications/<int:pk>/", views_staff.staff_application, name="staff_application"),
]
