"""Starting and drafting an application (namespace "grants")."""

from django.urls import path

from grants import views_apply

urlpatterns = [
    path("calls/<slug:slug>/apply/", views_apply.apply, name="apply"),
    path("applications/<int:pk>/edit/", views_apply.application_edit, name="application_edit"),
]
