"""Pages of the giving tracker under /<lang>/giving/: one list per part (views/<part>.py), in
the order Django tries them."""

from django.urls import include, path

from giving.views import dashboard, imports, records

app_name = "giving"

# The public dashboard and yearly reports, under /<lang>/giving/ (namespace "giving").
dashboard_patterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("data/", dashboard.dashboard_data, name="dashboard_data"),
    path("download/<str:what>.<str:fmt>", dashboard.dashboard_download, name="dashboard_download"),
    path("export/records.<str:fmt>", dashboard.records_export, name="records_export"),
    path("yearly/", dashboard.yearly_report, name="yearly_report"),
    path("yearly/<int:year>/", dashboard.yearly_report_start, name="yearly_report_start"),
    path("yearly/pdf/<int:pk>/", dashboard.yearly_report_status, name="yearly_report_status"),
    path("yearly/pdf/<int:pk>/download/", dashboard.yearly_report_download, name="yearly_report_download"),
]

# Record pages under /<lang>/giving/records/ (namespace "giving").
records_patterns = [
    path("", records.my_records, name="my_records"),
    path("new/", records.record_add, name="record_add"),
    path("report/", records.report_gift, name="report_gift"),
    path("report/thanks/", records.report_gift_thanks, name="report_gift_thanks"),
    path("moderation/", records.moderation, name="moderation"),
    path("moderation/bulk/", records.moderation_bulk, name="moderation_bulk"),
    path("<int:pk>/", records.record_detail, name="record_detail"),
    path("<int:pk>/edit/", records.record_edit, name="record_edit"),
    path("<int:pk>/confirm/", records.record_confirm, name="record_confirm"),
    path("<int:pk>/moderate/", records.record_moderate, name="record_moderate"),
    path("<int:pk>/compare/", records.record_compare, name="record_compare"),
]

# Bulk import pages, under /<lang>/giving/imports/ (namespace "giving").
imports_patterns = [
    path("", imports.import_upload, name="import_upload"),
    path("template/", imports.import_template, name="import_template"),
    path("<int:pk>/", imports.import_review, name="import_review"),
    path("<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("<int:pk>/commit/", imports.import_commit, name="import_commit"),
]

urlpatterns = [
    *dashboard_patterns,
    path("records/", include(records_patterns)),
    path("imports/", include(imports_patterns)),
]
