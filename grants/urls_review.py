"""The reviewer's pages (namespace "grants")."""

from django.urls import path

from grants import views_review

urlpatterns = [
    path("<int:pk>/", views_review.review, name="review"),
]
