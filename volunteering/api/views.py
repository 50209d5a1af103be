"""The volunteering API: open opportunities for anyone; confirmed hours in aggregate (by
municipality, cause or month) for partner tokens holding the `read` scope."""

from django.db.models import Count, F, Prefetch, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from core.api.permissions import HasTokenScope
from core.api.schema import ERROR_DESCRIPTIONS, VALIDATION_ERROR_SCHEMA
from volunteering.api.serializers import HoursFigureSerializer, OpportunitySerializer
from volunteering.choices import HoursStatus
from volunteering.models import HoursEntry, OpportunitySkill
from volunteering.selectors.matching import open_opportunities


@extend_schema_view(
    list=extend_schema(
        summary="List open volunteer opportunities",
        description="Open opportunities and expert requests, nearest deadline first, 50 a page.",
    ),
    retrieve=extend_schema(summary="One open volunteer opportunity"),
)
class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public: open opportunities only
    serializer_class = OpportunitySerializer

    def get_queryset(self):
        return (
            open_opportunities()
            .select_related("organization", "municipality", "cause")
            .prefetch_related(
                Prefetch(
                    "skill_needs", queryset=OpportunitySkill.objects.select_related("skill").order_by("pk")
                ),
                "languages",
            )
            .order_by(F("deadline").asc(nulls_last=True), "pk")
        )


GROUPS = {
    "municipality": "engagement__opportunity__municipality__slug",
    "cause": "engagement__opportunity__cause__slug",
    "month": "month",
}


@extend_schema(
    summary="Confirmed volunteer hours in aggregate",
    responses={
        200: HoursFigureSerializer(many=True),
        400: OpenApiResponse(response=VALIDATION_ERROR_SCHEMA, description=ERROR_DESCRIPTIONS["400"]),
    },
    description="Confirmed hours and the number of volunteers by municipality, cause or month (`group`), for partner tokens with the `read` scope. Optional `year`.",
    parameters=[
        OpenApiParameter(
            "group", str, OpenApiParameter.QUERY, enum=list(GROUPS), description="How to group the hours."
        ),
        OpenApiParameter(
            "year",
            {"type": "integer", "minimum": 2000, "maximum": 2100},
            OpenApiParameter.QUERY,
            description="Only hours of this year (2000 to 2100).",
        ),
    ],
)
class HoursFiguresView(generics.ListAPIView):
    permission_classes = [HasTokenScope]
    required_scopes = {"read"}
    serializer_class = HoursFigureSerializer
    pagination_class = None  # a few dozen rows at most (38 municipalities, the causes, 12 months a year)
    filter_backends: list = []  # rows of figures, not a queryset: nothing to filter or order (a 500)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: no query
            return HoursEntry.objects.none()
        group = self.request.query_params.get("group", "municipality")
        if group not in GROUPS:
            raise ValidationError({"group": [_("One of: %(choices)s.") % {"choices": ", ".join(GROUPS)}]})
        qs = HoursEntry.objects.filter(status=HoursStatus.CONFIRMED)
        year = self.request.query_params.get("year")
        if year is not None:
            # isdecimal, not isdigit: "²" is a digit that int() refuses (a 500)
            if not (year.isascii() and year.isdecimal()) or not 2000 <= int(year) <= 2100:
                raise ValidationError({"year": [_("A year between 2000 and 2100.")]})
            qs = qs.filter(date__year=int(year))
        if group == "month":
            qs = qs.annotate(month=TruncMonth("date"))
        rows = (
            qs.values(GROUPS[group])
            .annotate(volunteers=Count("engagement__profile", distinct=True), hours=Sum("hours"))
            .order_by(GROUPS[group])
        )
        result = []
        for row in rows:
            key = row[GROUPS[group]]
            key = key.strftime("%Y-%m") if hasattr(key, "strftime") else (key or "")
            result.append({"key": key, "volunteers": row["volunteers"], "hours": row["hours"]})
        return result
