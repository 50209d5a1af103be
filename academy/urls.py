from django.urls import path

from academy.views import alumni, applicant, completion, figures, materials, public, review, running, staff

app_name = "academy"

urlpatterns = [
    path("", public.cohort_list, name="cohort_list"),
    path("cohorts/<str:pk>/", public.cohort_detail, name="cohort_detail"),
    path("cohorts/<str:pk>/apply/", applicant.apply, name="apply"),
    path("my/applications/", applicant.my_applications, name="my_applications"),
    path("applications/<str:pk>/", applicant.application, name="application"),
    path("applications/<str:pk>/respond/", applicant.respond, name="respond"),
    path("reviews/", review.my_reviews, name="my_reviews"),
    path("reviews/<str:pk>/", review.review, name="review"),
    path("reviews/<str:pk>/conflict/", review.review_coi, name="review_coi"),
    path("reviews/<str:pk>/save/", review.review_save, name="review_save"),
    path("staff/", staff.cohorts, name="staff_cohorts"),
    path("staff/cohorts/<str:pk>/", staff.selection_page, name="staff_selection"),
    path("staff/cohorts/<str:pk>/select/", staff.select, name="staff_select"),
    path("staff/cohorts/<str:pk>/status/", staff.cohort_move, name="staff_cohort_move"),
    path("staff/applications/<str:pk>/reviewers/", staff.assign, name="staff_assign"),
    path("my/cohorts/", running.my_cohorts, name="my_cohorts"),
    path("cohorts/<str:pk>/sessions/", running.sessions, name="sessions"),
    path("sessions/<str:pk>/attendance/", running.attendance, name="attendance"),
    path("sessions/<str:pk>/attendance/mark/", running.attendance_mark, name="attendance_mark"),
    path("sessions/<str:pk>/qr/", running.attendance_qr, name="attendance_qr"),
    path("sessions/<str:pk>/check-in/", running.check_in, name="check_in"),
    path("participants/<str:pk>/notes/", running.notes, name="notes"),
    path("cohorts/<str:pk>/projects/", running.projects, name="projects"),
    path("projects/<str:pk>/", running.project, name="project"),
    path("projects/<str:pk>/comments/", running.project_comment, name="project_comment"),
    path("projects/<str:pk>/finish/", running.project_finish, name="project_finish"),
    path("projects/<str:pk>/handoff/<str:target>/", running.project_handoff, name="project_handoff"),
    path("participants/<str:pk>/certificate/", completion.certificate, name="certificate"),
    path("alumni/", alumni.directory, name="alumni"),
    path("participants/<str:pk>/alumni/", alumni.listing, name="alumni_listing"),
    path("figures/", figures.figures_page, name="figures"),
    path(
        "staff/applications/<str:pk>/reviewers/search/", staff.reviewer_search, name="staff_reviewer_search"
    ),
    path("sessions/<str:pk>/materials/", materials.session_materials, name="materials"),
    path("materials/<str:pk>/", materials.material_download, name="material_download"),
    path("materials/<str:pk>/delete/", materials.material_delete, name="material_delete"),
    path("calendar/<str:pk>/<str:token>/sessions.ics", completion.calendar_feed, name="calendar_feed"),
]
