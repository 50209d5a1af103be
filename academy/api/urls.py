"""The Academy's API under /api/v1/academy/."""

from django.urls import path, re_path

from academy.api.views import FiguresView
from core.api.views import NotFoundView

urlpatterns = [
    path("academy/figures/", FiguresView.as_view(), name="academy-figures"),
    # Last: any other address below academy/ gets a JSON 404, not the HTML page of the site.
    re_path(r"^academy/[\s\S]+$", NotFoundView.as_view(), name="academy-not-found"),
]
