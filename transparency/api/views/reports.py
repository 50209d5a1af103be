"""The public API of yearly transparency reports: published reports only (anyone may read)."""

import django_filters
from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from core.api.filters import NoBlankParametersForm
from core.models import Municipality
from transparency.api.serializers import TransparencyReportSerializer
from transparency.choices import ReportStatus
from transparency.models import BoardMember, ReportDocument, TransparencyReport


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ReportFilterForm(NoBlankParametersForm):
    NON_BLANK = ("year",)  # `?year=` is not a year: 400, as the schema says


class ReportFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation (slug)"))
    year = YearFilter(field_name="year", min_value=2000, max_value=2100, label=_("Year of the report"))

    class Meta:
        model = TransparencyReport
        form = ReportFilterForm
        fields = ["organization", "year"]


def published_reports_for_api():
    return (
        TransparencyReport.objects.filter(status=ReportStatus.PUBLISHED, organization__is_active=True)
        .select_related("organization")
        .prefetch_related(
            Prefetch("documents", queryset=ReportDocument.objects.order_by("kind", "pk")),
            Prefetch("board_members", queryset=BoardMember.objects.order_by("ordering", "pk")),
            Prefetch("municipalities", queryset=Municipality.objects.order_by("name_sq")),
        )
        .order_by("-year", "organization__name", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List published transparency reports"),
        description=_(
            "The current published version of each organisation's yearly report, newest year "
            "first, 50 a page. Filter by organisation (slug) and year."
        ),
        parameters=[
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                OpenApiParameter.QUERY,
                description=_("Year of the report"),
            )
        ],
    ),
    retrieve=extend_schema(
        summary=_("One published transparency report"),
        description=_("A published report by its id; reports that are not published are not found."),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The report's id."))],
    ),
)
class TransparencyReportViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]  # public
    serializer_class = TransparencyReportSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReportFilter

    def get_queryset(self):
        return published_reports_for_api()
