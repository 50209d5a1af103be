"""After the award (namespace "grants")."""

from django.urls import path

from grants import views_awards

urlpatterns = [
    path("awards/<int:pk>/", views_awards.grant_detail, name="grant_detail"),
]
