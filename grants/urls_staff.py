"""KCSF's pages (namespace "grants"), under /<lang>/grants/manage/."""

from django.urls import path

from grants import views_staff

urlpatterns = [
    path("", views_staff.staff_calls, name="staff_calls"),
    path("calls/<slug:slug>/applications/", views_staff.staff_applications, name="staff_applications"),
    path("calls/<slug:slug>/ranking/", views_staff.ranking, name="ranking"),
    path("calls/<slug:slug>/export/", views_staff.staff_export, name="staff_export"),
    path("applications/<int:pk>/", views_staff.staff_application, name="staff_application"),
    path("applications/<int:pk>/screen/", views_staff.staff_screen, name="staff_screen"),
    path("applications/<int:pk>/assign/", views_staff.staff_assign, name="staff_assign"),
    path(
        "applications/<int:pk>/assignments/<int:assignment_pk>/remove/",
        views_staff.staff_unassign,
        name="staff_unassign",
    ),
    path("applications/<int:pk>/changes/", views_staff.staff_request_changes, name="staff_request_changes"),
    path("applications/<int:pk>/decide/", views_staff.staff_decide, name="staff_decide"),
    path("applications/<int:pk>/messages/", views_staff.staff_message, name="staff_message"),
]
