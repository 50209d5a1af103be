"""The public aggregates API: sums and counts of verified giving records grouped by any
of the allowed dimensions, for any combination of the dashboard's filters."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, views
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.schema import VALIDATION_ERROR_SCHEMA
from core.reference_data import MUNICIPALITIES
from giving import aggregates
from giving.choices import Cause, Confidence, DonorType, Effect, Geography, RecipientType, SupportKind
from giving.filters import GivingFilter, unknown_parameters


class AggregatesQuerySerializer(serializers.Serializer):
    """The query parameters, for the schema (GivingFilter validates them at run time)."""

    date_from = serializers.DateField(required=False, help_text=gettext_lazy("Gifts on or after this day."))
    date_to = serializers.DateField(required=False, help_text=gettext_lazy("Gifts on or before this day."))
    year = serializers.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text=gettext_lazy("Gifts of this year.")
    )
    diaspora = serializers.ChoiceField(
        ["yes", "no"], required=False, help_text=gettext_lazy("yes: diaspora donors only; no: domestic only.")
    )
    donor_type = serializers.MultipleChoiceField(choices=DonorType.values, required=False)
    cause = serializers.MultipleChoiceField(choices=Cause.values, required=False)
    recipient_type = serializers.MultipleChoiceField(choices=RecipientType.values, required=False)
    support_kind = serializers.MultipleChoiceField(choices=SupportKind.values, required=False)
    confidence = serializers.MultipleChoiceField(choices=Confidence.values, required=False)
    geography = serializers.ChoiceField(Geography.values, required=False)
    municipality = serializers.MultipleChoiceField(
        choices=[slug for slug, *_names in MUNICIPALITIES],
        required=False,
        help_text=gettext_lazy("Municipality slugs (repeat for several)."),
    )
    effect = serializers.ChoiceField(Effect.values, required=False)
    donor_country = serializers.MultipleChoiceField(
        choices=[code for code, _name in countries],
        required=False,
        help_text=gettext_lazy("Countries where diaspora donors live (ISO codes, repeat for several)."),
    )


_row = inline_serializer(
    "GivingAggregateRow",
    fields={
        **{
            name: serializers.CharField(required=False, help_text=gettext_lazy("Present when grouped by it."))
            for name in (
                "month",
                "donor_type",
                "cause",
                "recipient_type",
                "support_kind",
                "confidence",
                "geography",
                "effect",
            )
        },
        # Records of the whole country or abroad have none: their row's municipality is null.
        "municipality": serializers.CharField(
            required=False,
            allow_null=True,
            help_text=gettext_lazy("Present when grouped by it; null for gifts with no municipality."),
        ),
        "year": serializers.IntegerField(required=False),
        "diaspora": serializers.BooleanField(required=False),
        "total": serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True),
        "count": serializers.IntegerField(),
        "average": serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True),
    },
)


class GivingAggregatesView(views.APIView):
    """Sums, counts and average gifts of verified records."""

    permission_classes = [AllowAny]  # public

    @extend_schema(
        operation_id="giving_aggregates",
        summary=gettext_lazy("Giving aggregates"),
        description=gettext_lazy(
            "Totals of verified giving records grouped by `group_by` (a comma-separated list of "
            "year, month, donor_type, cause, recipient_type, municipality, support_kind, confidence, "
            "diaspora, geography, effect; none gives one row with the grand total), for any "
            "combination of the filters of the public dashboard. Amounts in EUR as decimal strings."
        ),
        parameters=[
            OpenApiParameter(
                "group_by",
                # At least one dimension: "?group_by=" is a 400 (leave it out for the grand total).
                {
                    "type": "array",
                    "items": {"type": "string", "enum": list(aggregates.GROUPABLE)},
                    "minItems": 1,
                },
                explode=False,
                style="form",
                description=gettext_lazy("Dimensions to group by, comma-separated (e.g. donor_type,year)."),
            ),
            AggregatesQuerySerializer,
        ],
        responses={
            200: inline_serializer(
                "GivingAggregates",
                fields={
                    "group_by": serializers.ListField(child=serializers.CharField()),
                    "results": _row.__class__(many=True),
                },
            ),
            400: OpenApiResponse(
                response=VALIDATION_ERROR_SCHEMA, description=gettext_lazy("Invalid filter or dimension.")
            ),
        },
        tags=["giving"],
    )
    def get(self, request):
        raw = request.query_params.get("group_by", "")
        if "group_by" in request.query_params and not raw:  # "?group_by=": leave it out for the total
            raise exceptions.ValidationError(
                {"group_by": [_("Leave this parameter out, or give it a value.")]}
            )
        group_by = [g.strip() for g in raw.split(",")] if raw else []
        if "" in group_by:  # "group_by=," or "year,,cause": an empty dimension is no dimension
            raise exceptions.ValidationError({"group_by": [_("This value may not be blank.")]})
        unknown = [g for g in group_by if g not in aggregates.GROUPABLE]
        if unknown:
            raise exceptions.ValidationError(
                {
                    "group_by": [
                        _("Unknown dimension: %(names)s. Allowed: %(allowed)s.")
                        % {"names": ", ".join(unknown), "allowed": ", ".join(aggregates.GROUPABLE)}
                    ]
                }
            )
        unknown_params = unknown_parameters(request.query_params, allowed=("group_by", "format"))
        if unknown_params:
            raise exceptions.ValidationError(unknown_params)
        blank = sorted({k for k, values in request.query_params.lists() if "" in values and k != "group_by"})
        if blank:
            raise exceptions.ValidationError({k: [_("This value may not be blank.")] for k in blank})
        filterset = GivingFilter(request.query_params)
        if not filterset.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in filterset.form.errors.items()})
        crit = aggregates.Criteria.from_filter(filterset)
        rows = aggregates.grouped(crit, group_by)
        return Response({"group_by": list(dict.fromkeys(group_by)), "results": rows})
