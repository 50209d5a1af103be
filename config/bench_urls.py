"""The portal's URLs plus the bare view that `manage.py bench pages` measures pages against."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from core.permissions import public

BARE_TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html lang='en'><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><p>{{ text }}</p></body></html>"
)


@public
def bare(request):
    """A bare Django view with a tiny template, through the whole middleware."""
    return HttpResponse(BARE_TEMPLATE.render({"title": "Bare", "text": "A tiny template."}, request))


urlpatterns = [path("bench-bare/", bare, name="bench-bare"), *portal_urlpatterns]
