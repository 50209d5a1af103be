"""Badge pages under /<lang>/transparency/badges/ (namespace "transparency")."""

from django.urls import path

from transparency import views_badges

urlpatterns = [
    path("", views_badges.methodology, name="methodology"),
    path("<slug:slug>.svg", views_badges.badge_svg, name="badge_svg"),
    path("<slug:slug>/", views_badges.badge_status, name="badge_status"),
]
