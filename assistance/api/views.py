"""/api/v1/assistance/figures/: the help desk's aggregate figures, for partner systems with an
API token (any active partner token: the figures are counts, never a request's content)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import views
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from assistance.api.serializers import FiguresQuerySerializer, FiguresSerializer
from assistance.selectors import figures
from core.api.permissions import HasTokenScope
from core.api.schema import ERROR_DESCRIPTIONS, VALIDATION_ERROR_SCHEMA


class FiguresView(views.APIView):
    permission_classes = [HasTokenScope]
    required_scopes: set = set()

    @extend_schema(
        summary=_("Help desk figures (partners)"),
        description=_(
            "Needs a partner API token. Totals (open, unassigned, overdue, answered, ratings) and "
            "the requests submitted per month by category, partner organisation and municipality."
        ),
        parameters=[FiguresQuerySerializer],
        responses={
            200: FiguresSerializer,
            400: OpenApiResponse(response=VALIDATION_ERROR_SCHEMA, description=ERROR_DESCRIPTIONS["400"]),
        },
    )
    def get(self, request):
        if "months" in request.query_params and not request.query_params["months"].strip():
            raise ValidationError(
                {"months": [gettext("Give a number from 1 to 24.")]}
            )  # blank is not "default"
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        months = query.validated_data["months"]
        totals = figures.totals()
        if totals["average_rating"] is not None:
            totals["average_rating"] = round(float(totals["average_rating"]), 2)
        data = {
            "totals": totals,
            "by_category": figures.monthly("category", months=months),
            "by_partner": figures.monthly("partner", months=months),
            "by_municipality": figures.monthly("municipality", months=months),
        }
        return Response(FiguresSerializer(data).data)
