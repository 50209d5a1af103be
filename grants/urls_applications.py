"""The applicant's pages (namespace "grants")."""

from django.urls import path

from grants import views_applications

urlpatterns = [
    path("my/", views_applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", views_applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/messages/", views_applications.message_post, name="message_post"),
    path(
        "applications/<int:pk>/withdraw/",
        views_applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/",
        views_applications.revision_detail,
        name="revision_detail",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/compare/",
        views_applications.revision_compare,
        name="revision_compare",
    ),
]
