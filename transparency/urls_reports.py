"""The yearly transparency report, under /<lang>/transparency/reports/ (namespace "transparency")."""

from django.urls import path

from transparency import views_reports as views

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:pk>/", views.report_public, name="report_public"),
    path("<int:pk>/documents/<int:doc_pk>/", views.report_document, name="report_document"),
    path("<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("organization/<slug:slug>/", views.report_mine, name="report_mine"),
    path("organization/<slug:slug>/start/", views.report_start, name="report_start"),
    path("edit/<int:pk>/", views.report_edit, name="report_edit"),
    path("edit/<int:pk>/form/", views.report_form_size, name="report_form_size"),
    path("edit/<int:pk>/preview/", views.report_preview, name="report_preview"),
    path("edit/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("edit/<int:pk>/documents/add/", views.report_document_add, name="report_document_add"),
    path(
        "edit/<int:pk>/documents/<int:doc_pk>/delete/",
        views.report_document_delete,
        name="report_document_delete",
    ),
    path("edit/<int:pk>/<slug:section>/", views.report_section, name="report_section"),
    path("review/", views.report_review_queue, name="report_review_queue"),
    path("review/<int:pk>/", views.report_review, name="report_review"),
    path("review/<int:pk>/publish/", views.report_publish, name="report_publish"),
    path("review/<int:pk>/return/", views.report_return, name="report_return"),
]
