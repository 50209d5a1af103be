"""Pages of volunteering under /<lang>/volunteering/ (namespace "volunteering")."""

from django.urls import path

from volunteering.views import organization, public, staff, volunteer

app_name = "volunteering"

urlpatterns = [
    # Public
    path("", public.opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>/", public.opportunity_detail, name="opportunity_detail"),
    # A volunteer
    path("me/profile/", volunteer.profile_edit, name="profile_edit"),
    path("me/matches/", volunteer.my_matches, name="my_matches"),
    path("me/", volunteer.my_volunteering, name="my_volunteering"),
    path("me/saved/", volunteer.saved_list, name="saved_list"),
    path("opportunities/<int:pk>/save/", volunteer.saved_toggle, name="saved_toggle"),
    path("opportunities/<int:pk>/apply/", volunteer.apply, name="apply"),
    path("applications/<int:pk>/withdraw/", volunteer.withdraw, name="withdraw"),
    path("engagements/<int:pk>/", volunteer.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/hours/", volunteer.hours_log, name="hours_log"),
    path("engagements/<int:pk>/certificate.pdf", volunteer.certificate, name="certificate"),
    path("engagements/<int:pk>/feedback/", volunteer.feedback_give, name="feedback_give"),
    path("engagements/<int:pk>/end/", volunteer.engagement_end, name="engagement_end"),
    path("hours/<int:pk>/correct/", volunteer.hours_correct, name="hours_correct"),
    # KCSF staff
    path("figures/", staff.figures_page, name="figures"),
    # An organisation
    path(
        "organization/<slug:slug>/",
        organization.organization_opportunities,
        name="organization_opportunities",
    ),
    path("organization/<slug:slug>/new/", organization.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/edit/", organization.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", organization.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:pk>/applicants/", organization.applicants, name="applicants"),
    path("opportunities/<int:pk>/candidates/", organization.candidates, name="candidates"),
    path("opportunities/<int:pk>/candidates/<int:profile_pk>/invite/", organization.invite, name="invite"),
    path("applications/<int:pk>/decide/", organization.application_decide, name="application_decide"),
    path("hours/<int:pk>/confirm/", organization.hours_confirm, name="hours_confirm"),
    path("hours/<int:pk>/dispute/", organization.hours_dispute, name="hours_dispute"),
]
