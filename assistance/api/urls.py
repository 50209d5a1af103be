"""The help desk's API under /api/v1/assistance/."""

from django.urls import path, re_path

from assistance.api.views import FiguresView
from core.api.views import NotFoundView

urlpatterns = [
    path("assistance/figures/", FiguresView.as_view(), name="assistance-figures"),
    # Last: any other address below assistance/ gets a JSON 404, not the HTML page of the site.
    re_path(r"^assistance/[\s\S]+$", NotFoundView.as_view(), name="assistance-not-found"),
]
