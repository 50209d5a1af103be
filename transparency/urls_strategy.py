"""Strategy monitoring, under /<lang>/transparency/strategy/."""

from django.urls import path

from transparency import views_strategy

urlpatterns = [
    path("", views_strategy.strategy_overview, name="strategy"),
    path("report/", views_strategy.strategy_report, name="strategy_report"),
    path("comments/moderation/", views_strategy.comment_moderation, name="comment_moderation"),
    path("measures/<str:code>/", views_strategy.measure_detail, name="measure_detail"),
]
