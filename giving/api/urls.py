from django.urls import include, path

urlpatterns = [
    path("giving/", include("giving.api.records_urls")),
    path("giving/", include("giving.api.aggregates_urls")),
]
