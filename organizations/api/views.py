"""The public organisations API: anyone may read, partners read with their token."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from core.api.views import KeptListMixin
from core.fragments import UNBOUNDED
from core.page_cache import EVERYTHING
from organizations import selectors
from organizations.api.filters import OrganizationFilter
from organizations.api.serializers import OrganizationSerializer


@extend_schema_view(
    list=extend_schema(
        summary=_("List organisations"),
        description=_(
            "Active organisations of the public directory, 50 a page. Filter by name, "
            "municipality, sector, kind and verification; order by name or created_at."
        ),
    ),
    retrieve=extend_schema(
        summary=_("One organisation"),
        description=_("The public profile of an active organisation, by its slug."),
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                required=True,
                pattern=r"^[-a-zA-Z0-9_]+$",
                description=_("The organisation's slug, as in its portal address."),
            )
        ],
    ),
)
class OrganizationViewSet(KeptListMixin, viewsets.ReadOnlyModelViewSet):
    # The pages of the list are kept (core.api.views.KeptListMixin) under the directory's
    # topics: organisations, their municipalities and sectors, and what other apps add to them
    # (the badge, organizations.extensions); a name search is built every time.
    kept_list_name = "organizations.api.list"
    kept_list_topics = EVERYTHING
    kept_list_search = ("q",)
    kept_list_max_page = UNBOUNDED
    permission_classes = [AllowAny]  # public
    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganizationFilter

    def get_queryset(self):
        return selectors.public_organizations().order_by("name", "pk")
