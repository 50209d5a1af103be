"""Strategy monitoring endpoints, under /api/v1/transparency/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from transparency.api import strategy

urlpatterns = [
    path(
        "strategy/objectives/", strategy.StrategyObjectiveListView.as_view(), name="strategy-objective-list"
    ),
    path(
        "strategy/objectives/<str:code>/",
        strategy.StrategyObjectiveDetailView.as_view(),
        name="strategy-objective-detail",
    ),
    path("strategy/measures/", strategy.StrategyMeasureListView.as_view(), name="strategy-measure-list"),
    path(
        "strategy/measures/<str:code>/",
        strategy.StrategyMeasureDetailView.as_view(),
        name="strategy-measure-detail",
    ),
    # Last: a malformed code gets a JSON 404, not the HTML page of the site.
    re_path(r"^strategy/[\s\S]+$", NotFoundView.as_view(), name="strategy-not-found"),
]
