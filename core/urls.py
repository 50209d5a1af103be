from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("start/", views.report_start, name="report_start"),
    path("<uuid:pk>/", views.report_detail, name="report_detail"),
    path("<uuid:pk>/download/", views.report_download, name="report_download"),
]
