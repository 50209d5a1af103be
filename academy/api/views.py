"""/api/v1/academy/figures/: the Academy's figures for partner systems with an API token (any
active partner token: aggregates only, small cells hidden)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import views
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from academy.api.serializers import AcademyFiguresQuerySerializer, AcademyFiguresSerializer
from academy.selectors import figures
from core.api.permissions import HasTokenScope
from core.api.schema import ERROR_DESCRIPTIONS, VALIDATION_ERROR_SCHEMA, ErrorSerializer


class FiguresView(views.APIView):
    permission_classes = [HasTokenScope]
    required_scopes: set = set()

    @extend_schema(
        summary=_("Leadership Academy figures (partners)"),
        description=_(
            "Needs a partner API token. Aggregates only, never a person: participants (confirmed "
            "applicants) by municipality, gender and age group (age on the cohort's start date), the "
            "attendance rate (present marks ÷ participants × sessions held), completion (the cohort's "
            "completion rule), community projects with the peers they mobilised, and certificates of "
            "completion; in total, per cohort and per year. Optional filters: `year` and `cohort`. "
            "Small cells are suppressed: every count from 1 to 4 is null, and so are the rates of a "
            "row with fewer than 5 participants."
        ),
        parameters=[AcademyFiguresQuerySerializer],
        responses={
            200: AcademyFiguresSerializer,
            400: OpenApiResponse(response=VALIDATION_ERROR_SCHEMA, description=ERROR_DESCRIPTIONS["400"]),
            404: OpenApiResponse(response=ErrorSerializer, description=_("No cohort with this id.")),
        },
    )
    def get(self, request):
        for name in ("year", "cohort"):
            if name in request.query_params and not request.query_params[name].strip():
                raise ValidationError({name: [gettext("Leave it out or give a value.")]})
        query = AcademyFiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters, errors = figures.parse_filters(
            {k: str(v) for k, v in query.validated_data.items()}, public_only=True
        )
        if errors:  # the bounds were checked above: a well-formed id of no (public) cohort
            raise NotFound(gettext("No cohort with this id."))
        data = figures.suppress(figures.figures(filters))
        data["filters"] = {
            "year": filters.year,
            "cohort": filters.cohort.pk if filters.cohort is not None else None,
        }
        return Response(AcademyFiguresSerializer(data).data)
