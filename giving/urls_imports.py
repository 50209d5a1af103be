"""Bulk import pages, under /<lang>/giving/imports/ (namespace "giving")."""

from django.urls import path

from giving import views_imports

urlpatterns = [
    path("", views_imports.import_upload, name="import_upload"),
    path("template/", views_imports.import_template, name="import_template"),
    path("<int:pk>/", views_imports.import_review, name="import_review"),
    path("<int:pk>/progress/", views_imports.import_progress, name="import_progress"),
    path("<int:pk>/commit/", views_imports.import_commit, name="import_commit"),
]
