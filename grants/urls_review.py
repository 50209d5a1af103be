"""The reviewer's pages (namespace "grants")."""

from django.urls import path

from grants import views_review

urlpatterns = [
    path("", views_review.my_reviews, name="my_reviews"),
    path("<int:pk>/", views_review.review, name="review"),
]
