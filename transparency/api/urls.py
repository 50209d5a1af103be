from django.urls import include, path

urlpatterns = [
    path("transparency/", include("transparency.api.reports_urls")),
    path("transparency/", include("transparency.api.badges_urls")),
    path("transparency/", include("transparency.api.funding_urls")),
    path("transparency/", include("transparency.api.strategy_urls")),
]
