"""Starting and drafting an application, preview, submit and PDF (namespace "grants")."""

from django.urls import path

from grants import views_apply

urlpatterns = [
    path("calls/<slug:slug>/apply/", views_apply.apply, name="apply"),
    path("applications/<int:pk>/edit/", views_apply.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/edit/<slug:section>/",
        views_apply.application_section,
        name="application_section",
    ),
    path("applications/<int:pk>/attachments/", views_apply.attachment_upload, name="attachment_upload"),
    path(
        "applications/<int:pk>/attachments/<int:att_pk>/",
        views_apply.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:att_pk>/remove/",
        views_apply.attachment_remove,
        name="attachment_remove",
    ),
    path("applications/<int:pk>/preview/", views_apply.application_preview, name="application_preview"),
    path("applications/<int:pk>/submit/", views_apply.application_submit, name="application_submit"),
    path("applications/<int:pk>/pdf/", views_apply.application_pdf, name="application_pdf"),
]
