"""Public call pages (namespace "grants")."""

from django.urls import path

from grants import views_calls

urlpatterns = [
    path("calls/<slug:slug>/", views_calls.call_detail, name="call_detail"),
    path("calls/<slug:slug>/documents/<int:pk>/", views_calls.call_document, name="call_document"),
    path("calls/<slug:slug>/questions/", views_calls.call_questions, name="call_questions"),
    path("", views_calls.call_list, name="call_list"),
]
