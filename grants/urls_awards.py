"""After the award (namespace "grants"): the grantee side under awards/, KCSF under
manage/awards/ (kept here, not in urls_staff, so that the part stays in one place)."""

from django.urls import path

from grants import views_awards

urlpatterns = [
    path("awards/<int:pk>/", views_awards.grant_detail, name="grant_detail"),
    path("awards/<int:pk>/agreement/", views_awards.grant_agreement, name="grant_agreement"),
    path("awards/<int:pk>/reports/<int:report_pk>/", views_awards.grant_report, name="grant_report"),
    path(
        "awards/<int:pk>/reports/<int:report_pk>/file/",
        views_awards.grant_report_file,
        name="grant_report_file",
    ),
    # KCSF
    path("manage/awards/", views_awards.staff_grants, name="staff_grants"),
    path("manage/awards/<int:pk>/", views_awards.staff_grant, name="staff_grant"),
    path(
        "manage/awards/<int:pk>/agreement/", views_awards.staff_grant_agreement, name="staff_grant_agreement"
    ),
    path("manage/awards/<int:pk>/tranches/", views_awards.staff_grant_tranches, name="staff_grant_tranches"),
    path("manage/awards/<int:pk>/duties/", views_awards.staff_grant_duties, name="staff_grant_duties"),
    path(
        "manage/awards/<int:pk>/tranches/<int:tranche_pk>/release/",
        views_awards.staff_tranche_release,
        name="staff_tranche_release",
    ),
    path(
        "manage/awards/<int:pk>/tranches/<int:tranche_pk>/paid/",
        views_awards.staff_tranche_paid,
        name="staff_tranche_paid",
    ),
    path("manage/awards/<int:pk>/close/", views_awards.staff_grant_close, name="staff_grant_close"),
    path(
        "manage/awards/<int:pk>/terminate/", views_awards.staff_grant_terminate, name="staff_grant_terminate"
    ),
    path(
        "manage/awards/<int:pk>/reports/<int:report_pk>/review/",
        views_awards.staff_report_review,
        name="staff_report_review",
    ),
]
