from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("start/", views.report_start, name="report_start"),
    path("<uuid:pk>/", views.report_detail, name="report_detail"),
    path("<uuid:pk>/download/", views.report_download, name="report_download"),
    # A public report's job by its signed, expiring link (visitors' jobs; see core.reports).
    path("link/<str:token>/", views.report_link, name="report_link"),
    path("link/<str:token>/download/", views.report_link_download, name="report_link_download"),
]
