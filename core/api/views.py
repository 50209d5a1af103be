"""API views shared by every app."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, views


@extend_schema(exclude=True)
class NotFoundView(views.APIView):
    """The catch-all last route of an API prefix (a malformed slug or id, any other address
    under it): a JSON 404 for every method, not the site's HTML error page."""

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get
