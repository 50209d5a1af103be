"""The Strategy monitoring API (public, read only): objectives with their progress, and
measures with their status."""

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from core.api.filters import NoBlankParametersForm
from transparency.choices import CommentStatus, MeasureStatus
from transparency.models import StrategyMeasure, StrategyObjective


class _InstitutionSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(MeasureStatus.values),
        "description": "not_started, in_progress, implemented or late.",
    }
)
class MeasureStatusField(serializers.ChoiceField):
    pass


class StrategyMeasureSerializer(serializers.ModelSerializer):
    status = MeasureStatusField(choices=MeasureStatus.choices, read_only=True)
    objective = serializers.CharField(
        source="objective.code", read_only=True, help_text=_("The objective's code.")
    )
    responsible_institution = _InstitutionSerializer(read_only=True, allow_null=True)
    evidence_links = serializers.ListField(child=serializers.CharField(), read_only=True)
    approved_comments = serializers.IntegerField(read_only=True, help_text=_("Published comments."))

    class Meta:
        model = StrategyMeasure
        fields = [
            "code",
            "objective",
            "title_sq",
            "title_sr",
            "title_en",
            "responsible_institution",
            "deadline",
            "indicator",
            "status",
            "progress_note",
            "evidence_links",
            "approved_comments",
            "updated_at",
        ]
        read_only_fields = fields


class StatusCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    not_started = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    implemented = serializers.IntegerField()
    late = serializers.IntegerField()


class StrategyObjectiveSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = StrategyObjective
        fields = ["code", "title_sq", "title_sr", "title_en", "ordering", "progress"]
        read_only_fields = fields

    @extend_schema_field(StatusCountsSerializer)
    def get_progress(self, obj) -> dict:
        """How many of the objective's measures are in each status."""
        return {"total": obj.m_total, **{s: getattr(obj, f"m_{s}") for s in MeasureStatus.values}}


def objectives_with_progress():
    counts = {"m_total": Count("measures")}
    for status in MeasureStatus.values:
        counts[f"m_{status}"] = Count("measures", filter=Q(measures__status=status))
    return StrategyObjective.objects.annotate(**counts).order_by("ordering", "code", "pk")


def measures_for_api():
    return (
        StrategyMeasure.objects.select_related("objective", "responsible_institution")
        .annotate(approved_comments=Count("comments", filter=Q(comments__status=CommentStatus.APPROVED)))
        .order_by("objective__ordering", "objective__code", "code", "pk")
    )


class StrategyMeasureFilterForm(NoBlankParametersForm):
    NON_BLANK = ("status",)


class StrategyMeasureFilter(django_filters.FilterSet):
    objective = django_filters.CharFilter(field_name="objective__code", label=_("Objective (code)"))
    institution = django_filters.CharFilter(
        field_name="responsible_institution__slug", label=_("Responsible institution (slug)")
    )
    status = django_filters.ChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))

    class Meta:
        model = StrategyMeasure
        form = StrategyMeasureFilterForm
        fields = ["objective", "institution", "status"]


CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, required=True, pattern=r"^[^/]+$", description=_("The code.")
)


@extend_schema_view(
    get=extend_schema(
        summary=_("List the Strategy's objectives"),
        description=_(
            "The objectives of the Strategy for Cooperation with Civil Society, with counts of their measures per status."
        ),
    )
)
class StrategyObjectiveListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = StrategyObjectiveSerializer

    def get_queryset(self):
        return objectives_with_progress()


@extend_schema_view(
    get=extend_schema(summary=_("One objective of the Strategy"), parameters=[CODE_PARAMETER])
)
class StrategyObjectiveDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = StrategyObjectiveSerializer
    lookup_field = "code"

    def get_queryset(self):
        return objectives_with_progress()


@extend_schema_view(
    get=extend_schema(
        summary=_("List the Strategy's measures"),
        description=_(
            "Measures with responsible institution, deadline, indicator and status. Filter by objective, institution and status."
        ),
    )
)
class StrategyMeasureListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = StrategyMeasureSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = StrategyMeasureFilter

    def get_queryset(self):
        return measures_for_api()


@extend_schema_view(get=extend_schema(summary=_("One measure of the Strategy"), parameters=[CODE_PARAMETER]))
class StrategyMeasureDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = StrategyMeasureSerializer
    lookup_field = "code"

    def get_queryset(self):
        return measures_for_api()
