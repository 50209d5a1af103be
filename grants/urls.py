"""Pages of grants under /<lang>/grants/: one list per part (views/<part>.py), in the order
Django tries them."""

from django.urls import include, path

from grants.views import applications, apply, awards, calls, open_data, review, staff

app_name = "grants"

# Public call pages (namespace "grants").
calls_patterns = [
    path("calls/<slug:slug>/", calls.call_detail, name="call_detail"),
    path("calls/<slug:slug>/documents/<int:pk>/", calls.call_document, name="call_document"),
    path("calls/<slug:slug>/questions/", calls.call_questions, name="call_questions"),
    path("", calls.call_list, name="call_list"),
]

# Starting and drafting an application, preview, submit and PDF (namespace "grants").
apply_patterns = [
    path("calls/<slug:slug>/apply/", apply.apply, name="apply"),
    path("applications/<int:pk>/edit/", apply.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/edit/<slug:section>/",
        apply.application_section,
        name="application_section",
    ),
    path("applications/<int:pk>/attachments/", apply.attachment_upload, name="attachment_upload"),
    path(
        "applications/<int:pk>/attachments/<int:att_pk>/",
        apply.attachment_download,
        name="attachment_download",
    ),
    path(
        "applications/<int:pk>/attachments/<int:att_pk>/remove/",
        apply.attachment_remove,
        name="attachment_remove",
    ),
    path("applications/<int:pk>/preview/", apply.application_preview, name="application_preview"),
    path("applications/<int:pk>/submit/", apply.application_submit, name="application_submit"),
    path("applications/<int:pk>/pdf/", apply.application_pdf, name="application_pdf"),
]

# The applicant's pages (namespace "grants").
applications_patterns = [
    path("my/", applications.my_applications, name="my_applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/messages/", applications.message_post, name="message_post"),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/",
        applications.revision_detail,
        name="revision_detail",
    ),
    path(
        "applications/<int:pk>/revisions/<int:number>/compare/",
        applications.revision_compare,
        name="revision_compare",
    ),
]

# KCSF's pages (namespace "grants"), under /<lang>/grants/manage/.
staff_patterns = [
    path("", staff.staff_calls, name="staff_calls"),
    path("calls/<slug:slug>/applications/", staff.staff_applications, name="staff_applications"),
    path("calls/<slug:slug>/ranking/", staff.ranking, name="ranking"),
    path("calls/<slug:slug>/export/", staff.staff_export, name="staff_export"),
    path("applications/<int:pk>/", staff.staff_application, name="staff_application"),
    path("applications/<int:pk>/screen/", staff.staff_screen, name="staff_screen"),
    path("applications/<int:pk>/assign/", staff.staff_assign, name="staff_assign"),
    path(
        "applications/<int:pk>/assignments/<int:assignment_pk>/remove/",
        staff.staff_unassign,
        name="staff_unassign",
    ),
    path("applications/<int:pk>/changes/", staff.staff_request_changes, name="staff_request_changes"),
    path("applications/<int:pk>/decide/", staff.staff_decide, name="staff_decide"),
    path("applications/<int:pk>/messages/", staff.staff_message, name="staff_message"),
]

# The reviewer's pages, under /<lang>/grants/reviews/ (`pk` is the application's).
review_patterns = [
    path("", review.my_reviews, name="my_reviews"),
    path("<int:pk>/", review.review, name="review"),
    path("<int:pk>/conflict/", review.review_coi, name="review_coi"),
    path("<int:pk>/save/", review.review_save, name="review_save"),
]

# After the award: the grantee side under awards/, KCSF under manage/awards/.
awards_patterns = [
    path("awards/<int:pk>/", awards.grant_detail, name="grant_detail"),
    path("awards/<int:pk>/agreement/", awards.grant_agreement, name="grant_agreement"),
    path("awards/<int:pk>/reports/<int:report_pk>/", awards.grant_report, name="grant_report"),
    path(
        "awards/<int:pk>/reports/<int:report_pk>/file/",
        awards.grant_report_file,
        name="grant_report_file",
    ),
    # KCSF
    path("manage/awards/", awards.staff_grants, name="staff_grants"),
    path("manage/awards/<int:pk>/", awards.staff_grant, name="staff_grant"),
    path("manage/awards/<int:pk>/agreement/", awards.staff_grant_agreement, name="staff_grant_agreement"),
    path("manage/awards/<int:pk>/tranches/", awards.staff_grant_tranches, name="staff_grant_tranches"),
    path("manage/awards/<int:pk>/duties/", awards.staff_grant_duties, name="staff_grant_duties"),
    path(
        "manage/awards/<int:pk>/tranches/<int:tranche_pk>/release/",
        awards.staff_tranche_release,
        name="staff_tranche_release",
    ),
    path(
        "manage/awards/<int:pk>/tranches/<int:tranche_pk>/paid/",
        awards.staff_tranche_paid,
        name="staff_tranche_paid",
    ),
    path("manage/awards/<int:pk>/close/", awards.staff_grant_close, name="staff_grant_close"),
    path("manage/awards/<int:pk>/terminate/", awards.staff_grant_terminate, name="staff_grant_terminate"),
    path(
        "manage/awards/<int:pk>/reports/<int:report_pk>/review/",
        awards.staff_report_review,
        name="staff_report_review",
    ),
]

# Awarded grants, public (namespace "grants"), under /<lang>/grants/awarded/.
open_data_patterns = [
    path("", open_data.awarded_list, name="awarded_list"),
    path("360giving.json", open_data.awarded_360_json, name="awarded_360_json"),
    path("360giving.csv", open_data.awarded_360_csv, name="awarded_360_csv"),
]

urlpatterns = [
    *calls_patterns,
    *apply_patterns,
    *applications_patterns,
    path("manage/", include(staff_patterns)),
    path("reviews/", include(review_patterns)),
    *awards_patterns,
    path("awarded/", include(open_data_patterns)),
]
