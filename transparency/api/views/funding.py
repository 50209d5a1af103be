"""The public-funding API: anyone reads the records; a partner with a `transparency:write`
token submits them, with an `Idempotency-Key` header (`core.api.idempotency`) so that a
retried request never records a grant twice."""

from decimal import Decimal

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filters import NoBlankParametersForm
from core.api.idempotency import idempotency_schema, idempotent
from core.api.permissions import HasTokenScope
from core.api.schema import VALIDATION_ERROR_SCHEMA
from organizations.models import Organization
from transparency.choices import FundingProcedure, FundingSource
from transparency.models import PublicFundingRecord
from transparency.services import funding as funding_services

BULK_MAX = 500


# --- Serializers ------------------------------------------------------------------------------


def _inline_enum(choices, description):
    """A choice field documented inline (not as a shared `…Enum` component, whose name could
    collide with another app's field of the same name)."""

    @extend_schema_field({"type": "string", "enum": [c for c, _l in choices], "description": description})
    class _Field(serializers.ChoiceField):
        pass

    return _Field


ProcedureField = _inline_enum(
    FundingProcedure.choices,
    "open_call: open public call; direct_award: direct award; other: other procedure.",
)
SourceField = _inline_enum(
    FundingSource.choices, "declared: declared by the institution; monitoring: found by monitoring."
)


class _OrgRefSerializer(serializers.ModelSerializer):
    # Plain strings in the schema: "kind" enums of other apps would collide.
    kind = serializers.CharField(
        read_only=True, help_text=_("Kind of organisation (cso, informal, public, …).")
    )

    class Meta:
        model = Organization
        fields = ["name", "slug", "kind", "registration_number"]
        read_only_fields = fields


class PublicFundingRecordSerializer(serializers.ModelSerializer):
    institution = _OrgRefSerializer(read_only=True)
    recipient = _OrgRefSerializer(read_only=True, allow_null=True)
    procedure = ProcedureField(choices=FundingProcedure.choices, read_only=True)
    source = SourceField(choices=FundingSource.choices, read_only=True)

    class Meta:
        model = PublicFundingRecord
        fields = [
            "id",
            "institution",
            "recipient",
            "recipient_name",
            "year",
            "amount",
            "programme",
            "procedure",
            "call_published",
            "results_published",
            "recipient_reported",
            "source",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "string", "maxLength": 220})
class _OrgByKeyField(serializers.Field):
    """An organisation of the registry by its registration number or slug."""

    default_error_messages = {"invalid": _("Not a valid string.")}

    def __init__(self, *, kinds=None, allow_blank=False, **kwargs):
        self.kinds = kinds
        self.allow_blank = allow_blank
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str | int) or isinstance(data, bool):
            self.fail("invalid")
        key = str(data).strip()
        if not key:
            if self.allow_blank:
                return None
            self.fail("unknown")
        if len(key) > 220:
            self.fail("unknown")
        qs = Organization.objects.filter(is_active=True)
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        matches = list(qs.filter(registration_number__iexact=key)[:2]) or list(qs.filter(slug=key)[:2])
        if len(matches) != 1:
            self.fail("unknown")
        return matches[0]

    def to_representation(self, value):
        return getattr(value, "slug", value)


class _InstitutionField(_OrgByKeyField):
    default_error_messages = {
        "invalid": _("Not a valid string."),
        "unknown": _("No public institution with this registration number or slug in the registry."),
    }


class _RecipientField(_OrgByKeyField):
    default_error_messages = {
        "invalid": _("Not a valid string."),
        "unknown": _("No organisation with this registration number or slug in the registry."),
    }


class PublicFundingWriteSerializer(serializers.Serializer):
    institution = _InstitutionField(
        kinds=[Organization.Kind.PUBLIC_INSTITUTION],
        help_text=_("The granting institution: registration number or slug of a public institution."),
    )
    recipient = _RecipientField(
        required=False,
        allow_blank=True,
        help_text=_("The recipient in the registry (registration number or slug), when it is there."),
    )
    recipient_name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=_("The recipient as declared; required when `recipient` is not given."),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0.01"), coerce_to_string=True
    )
    programme = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")
    procedure = ProcedureField(choices=FundingProcedure.choices)
    call_published = serializers.BooleanField(required=False, default=False)
    results_published = serializers.BooleanField(required=False, default=False)
    recipient_reported = serializers.BooleanField(required=False, default=False)
    source = SourceField(choices=FundingSource.choices, required=False, default=FundingSource.DECLARED)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def validate(self, attrs):
        if not attrs.get("recipient") and not (attrs.get("recipient_name") or "").strip():
            raise serializers.ValidationError({"recipient_name": [_("Give the recipient or its name.")]})
        attrs["recipient"] = attrs.get("recipient") or None
        attrs["recipient_name"] = (attrs.get("recipient_name") or "").strip()
        return attrs


class PublicFundingBulkSerializer(serializers.Serializer):
    records = PublicFundingWriteSerializer(many=True, allow_empty=False, max_length=BULK_MAX)


class _DuplicateSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the record in `records`."))
    id = serializers.IntegerField(help_text=_("The record already stored."))


class PublicFundingBulkResultSerializer(serializers.Serializer):
    created = PublicFundingRecordSerializer(many=True)
    duplicates = _DuplicateSerializer(many=True)


# --- Filters ----------------------------------------------------------------------------------


class PublicFundingFilterForm(NoBlankParametersForm):
    NON_BLANK = ("procedure", "source", "year", "year_from", "year_to")


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (django-filter's NumberFilter also takes 0.5)."""

    field_class = forms.IntegerField


class PublicFundingFilter(django_filters.FilterSet):
    year = IntegerFilter(field_name="year", label=_("Year"))
    year_from = IntegerFilter(field_name="year", lookup_expr="gte", label=_("From year"))
    year_to = IntegerFilter(field_name="year", lookup_expr="lte", label=_("To year"))
    institution = django_filters.CharFilter(field_name="institution__slug", label=_("Institution (slug)"))
    recipient = django_filters.CharFilter(
        method="filter_recipient", label=_("Recipient (slug or registration number)")
    )
    procedure = django_filters.ChoiceFilter(choices=FundingProcedure.choices, label=_("Procedure"))
    source = django_filters.ChoiceFilter(choices=FundingSource.choices, label=_("Source"))

    class Meta:
        model = PublicFundingRecord
        form = PublicFundingFilterForm
        fields = ["year", "year_from", "year_to", "institution", "recipient", "procedure", "source"]

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(recipient__slug=value) | queryset.filter(recipient__registration_number=value)


def _service_errors(exc) -> dict:
    if hasattr(exc, "error_dict"):
        return {k if k != "__all__" else "non_field_errors": v for k, v in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


# --- Views ------------------------------------------------------------------------------------

DUPLICATE_DESCRIPTION = _("The grant is already recorded (the body gives its id).")
BAD_REQUEST = OpenApiResponse(
    response=VALIDATION_ERROR_SCHEMA, description=_("Invalid record or missing Idempotency-Key.")
)


@extend_schema_view(
    get=extend_schema(
        summary=_("List public funding records"),
        description=_(
            "Public money given to CSOs by institutions, 50 a page, newest year first. Filter by year, "
            "institution, recipient, procedure and source."
        ),
    ),
    post=extend_schema(
        summary=_("Submit a public funding record"),
        description=_(
            "Partners with a `transparency:write` token. Needs an `Idempotency-Key` header. A grant "
            "already recorded (same institution, recipient, year, amount and programme) is a 409."
        ),
        request=PublicFundingWriteSerializer,
        **idempotency_schema(
            {201: PublicFundingRecordSerializer, 400: BAD_REQUEST}, conflict_description=DUPLICATE_DESCRIPTION
        ),
    ),
)
class PublicFundingListCreateView(generics.ListCreateAPIView):
    serializer_class = PublicFundingRecordSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicFundingFilter
    required_scopes = {"transparency:write"}

    def get_queryset(self):
        return PublicFundingRecord.objects.select_related("institution", "recipient").order_by(
            "-year", "institution__name", "-amount", "pk"
        )

    def get_permissions(self):
        if self.request is not None and self.request.method == "POST":
            return [HasTokenScope()]
        return [AllowAny()]

    @idempotent("transparency.public-funding.create")
    def create(self, request, *args, **kwargs):
        serializer = PublicFundingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = funding_services.funding_record_create(
                actor=request.user, data=serializer.validated_data, token=request.auth
            )
        except funding_services.DuplicateFundingRecord as exc:
            return Response(
                {"detail": str(exc.message), "id": exc.existing.pk}, status=status.HTTP_409_CONFLICT
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(_service_errors(exc)) from None
        return Response(PublicFundingRecordSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary=_("Submit several public funding records"),
    description=_(
        "Up to 500 records, all or nothing: if one is invalid, none is recorded and the errors name "
        "each by its position. Grants already recorded are skipped and listed in `duplicates`. "
        "Needs a `transparency:write` token and an `Idempotency-Key` header."
    ),
    request=PublicFundingBulkSerializer,
    **idempotency_schema({201: PublicFundingBulkResultSerializer, 400: BAD_REQUEST}),
)
class PublicFundingBulkView(generics.GenericAPIView):
    serializer_class = PublicFundingBulkSerializer
    permission_classes = [HasTokenScope]
    required_scopes = {"transparency:write"}

    @idempotent("transparency.public-funding.bulk")
    def post(self, request, *args, **kwargs):
        serializer = PublicFundingBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            created, duplicates = funding_services.funding_records_create_bulk(
                actor=request.user, items=serializer.validated_data["records"], token=request.auth
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError({"records": _service_errors(exc)}) from None
        return Response(
            {
                "created": PublicFundingRecordSerializer(created, many=True).data,
                "duplicates": [{"index": i, "id": r.pk} for i, r in duplicates],
            },
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    summary=_("One public funding record"),
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The record's id."))],
)
class PublicFundingDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = PublicFundingRecordSerializer
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return PublicFundingRecord.objects.select_related("institution", "recipient")
