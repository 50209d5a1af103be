"""Pages of dialogue under /<lang>/dialogue/ (namespace "dialogue")."""

from django.urls import path

from dialogue.views import (
    checkin,
    commitments,
    consultations,
    follows,
    followups,
    organiser,
    partnerships,
    public,
    trust,
)

app_name = "dialogue"

urlpatterns = [
    # public
    path("", public.event_list, name="event_list"),
    path("events.ics", public.events_feed, name="events_feed"),
    path("events/<int:pk>/", public.event_detail, name="event_detail"),
    path("events/<int:pk>/event.ics", public.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", public.register, name="register"),
    path("registrations/", public.my_registrations, name="my_registrations"),
    path("registrations/<int:pk>/cancel/", public.registration_cancel, name="registration_cancel"),
    path("ticket/<str:code>/", public.registration_confirmation, name="registration_confirmation"),
    # organiser
    path("organise/", organiser.my_events, name="my_events"),
    path("organise/new/", organiser.event_create, name="event_create"),
    path("events/<int:pk>/edit/", organiser.event_edit, name="event_edit"),
    path("events/<int:pk>/status/", organiser.event_move, name="event_move"),
    path("events/<int:pk>/registrations/", organiser.event_registrations, name="event_registrations"),
    path("events/<int:pk>/check-in/", checkin.check_in, name="check_in"),
    # after the event
    path("events/<int:pk>/follow-up/", followups.follow_up_edit, name="follow_up_edit"),
    path(
        "events/<int:pk>/follow-up/documents/",
        followups.follow_up_document_add,
        name="follow_up_document_add",
    ),
    path("events/<int:pk>/follow-up/photos/", followups.follow_up_photo_add, name="follow_up_photo_add"),
    path(
        "events/<int:pk>/follow-up/<slug:what>/<int:item>/remove/",
        followups.follow_up_file_remove,
        name="follow_up_file_remove",
    ),
    path("events/<int:pk>/follow-up/publish/", followups.follow_up_publish, name="follow_up_publish"),
    path("events/<int:pk>/documents/<int:item>/", followups.follow_up_document, name="follow_up_document"),
    path("events/<int:pk>/photos/<int:item>/", followups.follow_up_photo, name="follow_up_photo"),
    # follows and the digest
    path("follow/<slug:kind>/<int:object_id>/", follows.follow_toggle, name="follow_toggle"),
    path("following/", follows.following, name="following"),
    # commitments
    path("commitments/", commitments.tracker, name="tracker"),
    path("commitments/<int:pk>/", commitments.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/update/", commitments.commitment_update, name="commitment_update"),
    path("commitments/moderation/", commitments.comment_moderation, name="comment_moderation"),
    path("events/<int:pk>/commitments/new/", commitments.commitment_create, name="commitment_create"),
    # partnerships
    path("partnerships/", partnerships.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    # trust survey and barometer
    path("trust/", trust.trust_barometer, name="trust_barometer"),
    path("events/<int:pk>/trust/<slug:moment>/", trust.trust_survey, name="trust_survey"),
    # public consultations
    path("consultations/", consultations.consultation_list, name="consultation_list"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation_detail"),
    path(
        "consultations/sections/<int:pk>/comment/", consultations.comment_create, name="consultation_comment"
    ),
    path("consultations/comments/<int:pk>/support/", consultations.comment_support, name="comment_support"),
    path("consultations/manage/", consultations.consultation_manage, name="consultation_manage"),
    path("consultations/new/", consultations.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/edit/", consultations.consultation_edit, name="consultation_edit"),
    path("consultations/<int:pk>/status/", consultations.consultation_move, name="consultation_move"),
    path("consultations/<int:pk>/sections/new/", consultations.section_create, name="section_create"),
    path("consultations/sections/<int:pk>/edit/", consultations.section_edit, name="section_edit"),
    path("consultations/comments/<int:pk>/answer/", consultations.comment_answer, name="comment_answer"),
    path("consultations/unanswered/", consultations.answer_queue, name="answer_queue"),
]
