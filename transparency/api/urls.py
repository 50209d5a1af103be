"""The transparency API under /api/v1/transparency/: one list per part (views/<part>.py)."""

from django.urls import include, path, re_path

from core.api.views import NotFoundView
from transparency.api.views import funding, strategy
from transparency.api.views.badges import BadgeListView, MethodologyView
from transparency.api.views.reports import TransparencyReportViewSet

# Yearly transparency reports, mounted under /api/v1/transparency/.
reports_patterns = [
    path(
        "reports/",
        TransparencyReportViewSet.as_view({"get": "list"}),
        name="transparency-report-list",
    ),
    path(
        "reports/<int:pk>/",
        TransparencyReportViewSet.as_view({"get": "retrieve"}),
        name="transparency-report-detail",
    ),
    # Last: any other address below reports/ gets a JSON 404, not the HTML page of the site.
    re_path(r"^reports/[\s\S]+/$", NotFoundView.as_view(), name="transparency-report-not-found"),
]

# Badge endpoints, mounted at /api/v1/transparency/.
badges_patterns = [
    path("badges/", BadgeListView.as_view(), name="transparency-badge-list"),
    path("methodology/", MethodologyView.as_view(), name="transparency-badge-methodology"),
]

# Public-funding endpoints, under /api/v1/transparency/.
funding_patterns = [
    path("public-funding/", funding.PublicFundingListCreateView.as_view(), name="public-funding-list"),
    path("public-funding/bulk/", funding.PublicFundingBulkView.as_view(), name="public-funding-bulk"),
    path("public-funding/<int:id>/", funding.PublicFundingDetailView.as_view(), name="public-funding-detail"),
    # Last: a malformed id gets a JSON 404, not the HTML page of the site.
    re_path(r"^public-funding/[\s\S]+$", NotFoundView.as_view(), name="public-funding-not-found"),
]

# Strategy monitoring endpoints, under /api/v1/transparency/.
strategy_patterns = [
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

urlpatterns = [
    path("transparency/", include(reports_patterns)),
    path("transparency/", include(badges_patterns)),
    path("transparency/", include(funding_patterns)),
    path("transparency/", include(strategy_patterns)),
]
