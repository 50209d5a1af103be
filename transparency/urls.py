"""Pages of the transparency platform under /<lang>/transparency/: one list per part
(views/<part>.py), in the order Django tries them."""

from django.urls import include, path
from django.views.generic import RedirectView

from transparency.views import badges, funding, reports, strategy

app_name = "transparency"

# The yearly transparency report, under /<lang>/transparency/reports/ (namespace "transparency").
reports_patterns = [
    path("", reports.report_list, name="report_list"),
    path("<int:pk>/", reports.report_public, name="report_public"),
    path("<int:pk>/documents/<int:doc_pk>/", reports.report_document, name="report_document"),
    path("<int:pk>/correct/", reports.report_correct, name="report_correct"),
    path("organization/<slug:slug>/", reports.report_mine, name="report_mine"),
    path("organization/<slug:slug>/start/", reports.report_start, name="report_start"),
    path("edit/<int:pk>/", reports.report_edit, name="report_edit"),
    path("edit/<int:pk>/form/", reports.report_form_size, name="report_form_size"),
    path("edit/<int:pk>/preview/", reports.report_preview, name="report_preview"),
    path("edit/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("edit/<int:pk>/documents/add/", reports.report_document_add, name="report_document_add"),
    path(
        "edit/<int:pk>/documents/<int:doc_pk>/delete/",
        reports.report_document_delete,
        name="report_document_delete",
    ),
    path("edit/<int:pk>/<slug:section>/", reports.report_section, name="report_section"),
    path("review/", reports.report_review_queue, name="report_review_queue"),
    path("review/<int:pk>/", reports.report_review, name="report_review"),
    path("review/<int:pk>/publish/", reports.report_publish, name="report_publish"),
    path("review/<int:pk>/return/", reports.report_return, name="report_return"),
]

# Badge pages under /<lang>/transparency/badges/ (namespace "transparency").
badges_patterns = [
    path("", badges.methodology, name="methodology"),
    path("<slug:slug>.svg", badges.badge_svg, name="badge_svg"),
    path("<slug:slug>/", badges.badge_status, name="badge_status"),
]

# Public funding of CSOs, under /<lang>/transparency/public-funding/.
funding_patterns = [
    path("", funding.funding_dashboard, name="funding_dashboard"),
    path("import/", funding.funding_import, name="funding_import"),
    path("import/template.csv", funding.funding_import_template, name="funding_import_template"),
    path("reconciliation/", funding.funding_reconciliation, name="funding_reconciliation"),
]

# Strategy monitoring, under /<lang>/transparency/strategy/.
strategy_patterns = [
    path("", strategy.strategy_overview, name="strategy"),
    path("report/", strategy.strategy_report, name="strategy_report"),
    path("comments/moderation/", strategy.comment_moderation, name="comment_moderation"),
    path("measures/<str:code>/", strategy.measure_detail, name="measure_detail"),
]

urlpatterns = [
    # The section's own address (typed, or a link cut short) opens its first list.
    path("", RedirectView.as_view(pattern_name="transparency:report_list"), name="index"),
    path("reports/", include(reports_patterns)),
    path("badges/", include(badges_patterns)),
    path("public-funding/", include(funding_patterns)),
    path("strategy/", include(strategy_patterns)),
]
