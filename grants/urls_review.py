"""The reviewer's pages (namespace "grants"), under /<lang>/grants/reviews/; `pk` is the
application's."""

from django.urls import path

from grants import views_review

urlpatterns = [
    path("", views_review.my_reviews, name="my_reviews"),
    path("<int:pk>/", views_review.review, name="review"),
    path("<int:pk>/conflict/", views_review.review_coi, name="review_coi"),
    path("<int:pk>/save/", views_review.review_save, name="review_save"),
]
