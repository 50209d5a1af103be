"""Record pages under /<lang>/giving/records/ (namespace "giving")."""

from django.urls import path

from giving import views_records as views

urlpatterns = [
    path("", views.my_records, name="my_records"),
    path("new/", views.record_add, name="record_add"),
    path("report/", views.report_gift, name="report_gift"),
    path("report/thanks/", views.report_gift_thanks, name="report_gift_thanks"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/bulk/", views.moderation_bulk, name="moderation_bulk"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<int:pk>/confirm/", views.record_confirm, name="record_confirm"),
    path("<int:pk>/moderate/", views.record_moderate, name="record_moderate"),
    path("<int:pk>/compare/", views.record_compare, name="record_compare"),
]
