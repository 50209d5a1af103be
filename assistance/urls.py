"""Pages of the help desk under /<lang>/assistance/ (namespace "assistance")."""

from django.urls import path

from assistance.views import expert, knowledge, mentoring, requester, staff

app_name = "assistance"

urlpatterns = [
    path("", requester.my_requests, name="my_requests"),
    path("ask/", requester.request_create, name="request_create"),
    path("requests/<int:pk>/", requester.request_detail, name="request_detail"),
    path("requests/<int:pk>/messages/", requester.message_post, name="message_post"),
    path("requests/<int:pk>/files/<int:att_pk>/", requester.attachment_download, name="attachment_download"),
    path("requests/<int:pk>/close/", requester.request_close, name="request_close"),
    path("requests/<int:pk>/consent/", requester.consent, name="consent"),
    path("requests/<int:pk>/start/", expert.request_start, name="request_start"),
    path("requests/<int:pk>/answer/", expert.request_answer, name="request_answer"),
    path("requests/<int:pk>/assign/", staff.request_assign, name="request_assign"),
    path("requests/<int:pk>/decline/", staff.request_decline, name="request_decline"),
    path("requests/<int:pk>/publish/", staff.knowledge_publish, name="knowledge_publish"),
    path("inbox/", expert.inbox, name="expert_inbox"),
    path("manage/", staff.triage, name="triage"),
    path("manage/figures/", staff.figures_page, name="figures"),
    path("mentoring/", mentoring.series_list, name="series_list"),
    path("mentoring/new/", mentoring.series_create, name="series_create"),
    path("mentoring/<int:pk>/", mentoring.series_detail, name="series_detail"),
    path("mentoring/<int:pk>/status/", mentoring.series_move, name="series_move"),
    path("mentoring/<int:pk>/sessions/new/", mentoring.session_add, name="session_add"),
    path("mentoring/<int:pk>/sessions/<int:session_pk>/edit/", mentoring.session_edit, name="session_edit"),
    path("mentoring/<int:pk>/sessions/<int:session_pk>/log/", mentoring.session_log, name="session_log"),
    path("knowledge/", knowledge.knowledge_list, name="knowledge_list"),
    path("knowledge/<int:pk>/", knowledge.knowledge_detail, name="knowledge_detail"),
    path("knowledge/<int:pk>/helpful/", knowledge.knowledge_vote, name="knowledge_vote"),
]
