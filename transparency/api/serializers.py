"""What the public API shows of a published transparency report: the whole report as
published, with its board, municipalities and documents (download links)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from transparency.choices import DocumentKind, FormSize, ReportStatus
from transparency.models import (
    EXPENDITURE_FIELDS,
    INCOME_FIELDS,
    BoardMember,
    ReportDocument,
    TransparencyReport,
)


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ReportOrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, organization) -> str:
        """The organisation's public profile on the portal."""
        return _absolute(self, organization.get_absolute_url())


class BoardMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = BoardMember
        fields = ["name", "role"]
        read_only_fields = fields


class ReportDocumentSerializer(serializers.ModelSerializer):
    # A plain string (not an enum) in the schema: "kind" enums of other apps would collide.
    kind = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(str(v) for v in DocumentKind.values) + "."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = ReportDocument
        fields = ["kind", "original_name", "size", "url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        """Download link of the document."""
        from django.urls import reverse

        return _absolute(
            self,
            reverse("transparency:report_document", kwargs={"pk": document.report_id, "doc_pk": document.pk}),
        )


def _money_object(fields: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            name: {
                "type": "string",
                "format": "decimal",
                "pattern": r"^-?\d{0,12}(?:\.\d{0,2})?$",
                "description": str(label),
            }
            for name, label in fields.items()
        },
        "required": list(fields),
    }


class TransparencyReportSerializer(serializers.ModelSerializer):
    organization = ReportOrganizationSerializer(read_only=True)
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    form_size = serializers.ChoiceField(choices=FormSize.choices, read_only=True)
    income = serializers.SerializerMethodField()
    total_income = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    expenditure = serializers.SerializerMethodField()
    total_expenditure = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    municipalities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    board = BoardMemberSerializer(source="board_members", many=True, read_only=True)
    documents = ReportDocumentSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = TransparencyReport
        fields = [
            "id",
            "organization",
            "year",
            "version",
            "corrects",
            "status",
            "form_size",
            "income",
            "total_income",
            "total_income_declared",
            "expenditure",
            "total_expenditure",
            "staff_full_time",
            "staff_part_time",
            "volunteers",
            "volunteer_hours",
            "main_activities",
            "beneficiaries_reached",
            "municipalities",
            "board",
            "documents",
            "published_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(_money_object(INCOME_FIELDS))
    def get_income(self, report) -> dict:
        """Income by source, in EUR."""
        return {name: f"{getattr(report, name):.2f}" for name in INCOME_FIELDS}

    @extend_schema_field(_money_object(EXPENDITURE_FIELDS))
    def get_expenditure(self, report) -> dict:
        """Spending by kind, in EUR."""
        return {name: f"{getattr(report, name):.2f}" for name in EXPENDITURE_FIELDS}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, report) -> str:
        """The report's public page on the portal."""
        from django.urls import reverse

        return _absolute(self, reverse("transparency:report_public", kwargs={"pk": report.pk}))
