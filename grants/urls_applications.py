"""The applicant's pages (namespace "grants")."""

from django.urls import path

from grants import views_applications

urlpatterns = [
    path("my/", views_applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views_applications.application_detail, name="application_detail"),
]
