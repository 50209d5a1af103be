"""The public dashboard and yearly reports, under /<lang>/giving/ (namespace "giving")."""

from django.urls import path

from giving import views_dashboard as views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/", views.dashboard_data, name="dashboard_data"),
    path("download/<str:what>.<str:fmt>", views.dashboard_download, name="dashboard_download"),
    path("yearly/", views.yearly_report, name="yearly_report"),
    path("yearly/<int:year>/", views.yearly_report_start, name="yearly_report_start"),
    path("yearly/pdf/<int:pk>/", views.yearly_report_status, name="yearly_report_status"),
    path("yearly/pdf/<int:pk>/download/", views.yearly_report_download, name="yearly_report_download"),
]
