"""API views shared by every app."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, views
from rest_framework.permissions import AllowAny


@extend_schema(exclude=True)
class NotFoundView(views.APIView):
    """The catch-all last route of an API prefix (a malformed slug or id, any other address
    under it): a JSON 404 for every method, not the site's HTML error page."""

    permission_classes = [AllowAny]  # public: it only ever answers 404

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get
