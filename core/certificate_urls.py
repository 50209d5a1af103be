from django.urls import path

from core import certificate_views

app_name = "certificates"

urlpatterns = [
    path("", certificate_views.verify_form, name="verify_form"),
    path("<str:code>/", certificate_views.verify, name="verify"),
]
