"""The dialogue API, mounted under /api/v1/dialogue/."""

from django.urls import path, re_path

from core.api.views import NotFoundView
from dialogue.api import views

urlpatterns = [
    path("dialogue/events/", views.EventListView.as_view(), name="dialogue-event-list"),
    path("dialogue/events/<int:pk>/", views.EventDetailView.as_view(), name="dialogue-event-detail"),
    path("dialogue/commitments/", views.CommitmentListView.as_view(), name="dialogue-commitment-list"),
    path(
        "dialogue/commitments/<int:pk>/",
        views.CommitmentDetailView.as_view(),
        name="dialogue-commitment-detail",
    ),
    path("dialogue/partnerships/", views.PartnershipListView.as_view(), name="dialogue-partnership-list"),
    path(
        "dialogue/partnerships/<int:pk>/",
        views.PartnershipDetailView.as_view(),
        name="dialogue-partnership-detail",
    ),
    path("dialogue/consultations/", views.ConsultationListView.as_view(), name="dialogue-consultation-list"),
    path(
        "dialogue/consultations/<int:pk>/",
        views.ConsultationDetailView.as_view(),
        name="dialogue-consultation-detail",
    ),
    re_path(r"^dialogue/[\s\S]+$", NotFoundView.as_view(), name="dialogue-not-found"),
]
