"""The giving records API: public read of verified records; partner writes with a
`giving:write` token and an `Idempotency-Key`.

Idempotency (as in the IETF draft "The Idempotency-Key HTTP Header Field"): the first
request with a key claims it in the same transaction that creates the record(s), under
the unique constraint (token, endpoint, key). A retry with the same key and the same
body gets the first answer back (same status and body, header `Idempotent-Replayed`),
a retry with another body gets 422, and a retry while the first is still running waits
for it (the unique index) and then replays it. A request refused as invalid (400)
stores nothing, so the key may be used again with a corrected body.
"""

import hashlib
import json

import django_filters
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status, views
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from simple_history.utils import bulk_create_with_history

from core.api.permissions import HasTokenScope
from core.api.schema import ErrorSerializer
from core.models import Municipality
from core.reference_data import MUNICIPALITIES
from giving import imports, selectors, services
from giving.api.serializers import (
    BulkDuplicateErrorSerializer,
    DuplicateErrorSerializer,
    GivingRecordBulkResultSerializer,
    GivingRecordBulkSerializer,
    GivingRecordSerializer,
    GivingRecordWriteSerializer,
)
from giving.choices import Source, Status
from giving.filters import GivingFilter
from giving.models import GivingRecord
from organizations.api.filters import NoBlankParametersForm
from organizations.models import ApiToken, IdempotencyKey

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class RecordCursorPagination(CursorPagination):
    """Newest first (`-date`, then `-id`); `?cursor=` from `next`/`previous`, `?page_size=`
    up to 500. A malformed page_size is a 400; a malformed cursor a 404."""

    ordering = ("-date", "-id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if value < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number of at least 1.")]}
            )
        return min(value, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = str(
                    gettext_lazy("Number of results to return per page (at most %(max)s).")
                    % {"max": self.max_page_size}
                )
        return parameters


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
    OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy(
        "A unique key per submission (e.g. a UUID), at most 255 characters. Retrying with the same "
        "key and body returns the first response and creates nothing new; the same key with another "
        "body is refused with 422."
    ),
)
# The shared filter takes municipality slugs and answers 400 for an unknown one: say which
# slugs exist (the 38 municipalities are fixed reference data).
MUNICIPALITY_PARAMETER = OpenApiParameter(
    "municipality",
    {"type": "array", "items": {"type": "string", "enum": [m[0] for m in MUNICIPALITIES]}},
    OpenApiParameter.QUERY,
    explode=True,
    style="form",
    description=gettext_lazy("Municipality slugs (repeat the parameter for several)."),
)
CONFLICT_DESCRIPTION = gettext_lazy(
    "The gift is already recorded (the body names the existing record), or a request with the "
    "same Idempotency-Key is still being processed."
)
KEY_REUSED_DESCRIPTION = gettext_lazy("The Idempotency-Key was already used with a different body.")


def _canonical(data) -> str:
    if hasattr(data, "lists"):
        data = {key: values for key, values in data.lists()}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)


def idempotent(request, scope: str, handler) -> Response:
    """Run `handler() -> (status, body)` at most once per (token, scope, key); see the
    module docstring. `handler` may raise (a 400): then nothing is stored."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None or not key.strip():
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [_("Send an Idempotency-Key header, e.g. a new UUID for each submission.")]}
        )
    if len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [_("The Idempotency-Key may have at most 255 characters.")]}
        )
    token = request.auth
    if not isinstance(token, ApiToken):  # HasTokenScope guarantees it; never store a key without one
        raise exceptions.NotAuthenticated()
    request_hash = hashlib.sha256(_canonical(request.data).encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = IdempotencyKey.objects.create(
                    token=token, scope=scope, key=key, request_hash=request_hash
                )
        except IntegrityError:
            entry = (
                IdempotencyKey.objects.select_for_update().filter(token=token, scope=scope, key=key).first()
            )
            if entry is None or entry.response_status is None:
                return Response(
                    {
                        "detail": _(
                            "A request with this Idempotency-Key is still being processed; retry later."
                        )
                    },
                    status=status.HTTP_409_CONFLICT,
                )
            if entry.request_hash != request_hash:
                return Response(
                    {
                        "detail": _(
                            "This Idempotency-Key was already used for a different request. "
                            "Use a new key for a new submission."
                        )
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            response = Response(entry.response_body, status=entry.response_status)
            response["Idempotent-Replayed"] = "true"
            return response
        code, body = handler()
        entry.response_status = code
        entry.response_body = json.loads(json.dumps(body, default=str))
        entry.save(update_fields=["response_status", "response_body", "updated_at"])
    return Response(body, status=code)


class _PartnerWriteMixin:
    required_scopes = {ApiToken.Scope.GIVING_WRITE}

    def get_permissions(self):
        if self.request is not None and self.request.method == "POST":
            return [HasTokenScope()]
        return [AllowAny()]


@extend_schema_field({"type": "string", "enum": [m[0] for m in MUNICIPALITIES]})
class _MunicipalitySlugFilter(django_filters.ModelMultipleChoiceFilter):
    pass


@extend_schema_field({"type": "integer", "minimum": 1990, "maximum": 2100})
class _YearFilter(django_filters.NumberFilter):
    pass


class RecordFilterForm(NoBlankParametersForm):
    """`?date_to=` (a parameter with no value) is a 400, as in the organisations API."""

    NON_BLANK = (
        "date_from",
        "date_to",
        "year",
        "diaspora",
        "donor_type",
        "cause",
        "recipient_type",
        "support_kind",
        "confidence",
        "geography",
        "municipality",
        "effect",
    )


class RecordFilter(GivingFilter):
    """The shared filter, with the municipality matched by slug (GivingFilter's
    `municipality` compares the foreign key with the slug: a 500 for any known slug) and
    the accepted values of `municipality` and `year` in the schema; a parameter given
    with no value is refused. Once giving/filters.py does these, this class can go."""

    municipality = _MunicipalitySlugFilter(
        field_name="municipality__slug",
        to_field_name="slug",
        queryset=Municipality.objects.all(),
        label=gettext_lazy("Municipality"),
    )

    class Meta(GivingFilter.Meta):
        form = RecordFilterForm

    year = _YearFilter(
        field_name="date", lookup_expr="year", label=gettext_lazy("Year"), min_value=1990, max_value=2100
    )


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("List verified giving records"),
        description=gettext_lazy(
            "Verified records of domestic and diaspora giving in Kosovo, newest first, with the "
            "dashboard's filters. Cursor-paginated: follow `next`. Donor names of individuals "
            "appear only when the donor agreed."
        ),
        parameters=[MUNICIPALITY_PARAMETER],
    ),
    post=extend_schema(
        summary=gettext_lazy("Submit a giving record (partners)"),
        description=gettext_lazy(
            "Needs a token with the scope giving:write and an Idempotency-Key. The record is "
            "recorded on behalf of the token's organisation and waits for moderation "
            "(status reported)."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        request=GivingRecordWriteSerializer,
        responses={
            201: GivingRecordWriteSerializer,
            409: OpenApiResponse(DuplicateErrorSerializer, description=CONFLICT_DESCRIPTION),
            422: OpenApiResponse(ErrorSerializer, description=KEY_REUSED_DESCRIPTION),
        },
    ),
)
class GivingRecordListView(_PartnerWriteMixin, generics.ListCreateAPIView):
    pagination_class = RecordCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordFilter

    def get_queryset(self):
        return selectors.public_records()

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return GivingRecordWriteSerializer
        return GivingRecordSerializer

    def create(self, request, *args, **kwargs):
        def handler():
            serializer = GivingRecordWriteSerializer(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            try:
                record = services.record_create(
                    actor=request.user,
                    data=serializer.validated_data,
                    source=Source.PARTNER,
                    entered_for=request.auth.organization,
                    status=Status.REPORTED,
                )
            except services.DuplicateRecord as exc:
                return status.HTTP_409_CONFLICT, {
                    "detail": _("This gift is already recorded as record %(id)s.") % {"id": exc.existing.pk},
                    "existing_id": exc.existing.pk,
                }
            return status.HTTP_201_CREATED, GivingRecordWriteSerializer(record).data

        return idempotent(request, "giving.records.create", handler)


@extend_schema(
    summary=gettext_lazy("Submit up to 500 giving records at once (partners)"),
    description=gettext_lazy(
        "All or nothing: if any record is invalid (400, errors by position) or already recorded "
        "(409, naming the positions and existing records), none is recorded. Needs a token with "
        "the scope giving:write and an Idempotency-Key."
    ),
    parameters=[IDEMPOTENCY_PARAMETER],
    request=GivingRecordBulkSerializer,
    responses={
        201: GivingRecordBulkResultSerializer,
        409: OpenApiResponse(BulkDuplicateErrorSerializer, description=CONFLICT_DESCRIPTION),
        422: OpenApiResponse(ErrorSerializer, description=KEY_REUSED_DESCRIPTION),
    },
)
class GivingRecordBulkView(_PartnerWriteMixin, generics.GenericAPIView):
    serializer_class = GivingRecordBulkSerializer
    pagination_class = None
    filter_backends: list = []

    def post(self, request, *args, **kwargs):
        return idempotent(request, "giving.records.bulk", lambda: self._create_all(request))

    def _create_all(self, request):
        serializer = GivingRecordBulkSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        organization = request.auth.organization
        records, errors = [], {}
        for index, data in enumerate(serializer.validated_data["records"]):
            record = GivingRecord(
                **data,
                source=Source.PARTNER,
                status=Status.REPORTED,
                entered_by=request.user,
                entered_for=organization,
            )
            try:
                imports.prepare_fast(record)
            except ValidationError as exc:
                # Keyed by position, as DRF reports the errors of the list's own checks.
                errors[str(index)] = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
                )
            records.append(record)
        if errors:
            raise exceptions.ValidationError({"records": errors})
        duplicates = []
        first_index: dict[str, int] = {}
        existing = imports._existing_fingerprints(record.fingerprint for record in records)
        for index, record in enumerate(records):
            if record.fingerprint in existing:
                duplicates.append(
                    {"index": index, "existing_id": existing[record.fingerprint], "duplicate_of_index": None}
                )
            elif record.fingerprint in first_index:
                duplicates.append(
                    {
                        "index": index,
                        "existing_id": None,
                        "duplicate_of_index": first_index[record.fingerprint],
                    }
                )
            else:
                first_index[record.fingerprint] = index
        if duplicates:
            return status.HTTP_409_CONFLICT, {
                "detail": _(
                    "Nothing was recorded: %(count)s of the records are already recorded or repeated."
                )
                % {"count": len(duplicates)},
                "duplicates": duplicates,
            }
        for index, pk in imports.near_duplicates(records).items():
            records[index].possible_duplicate_of_id = pk
        bulk_create_with_history(
            records, GivingRecord, batch_size=imports.CHUNK_SIZE, default_user=request.user
        )
        return status.HTTP_201_CREATED, {
            "count": len(records),
            "records": GivingRecordWriteSerializer(records, many=True).data,
        }


@extend_schema(
    summary=gettext_lazy("One verified giving record"),
    description=gettext_lazy("A verified record by its id; any other id is a 404."),
)
class GivingRecordDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = GivingRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_records()


@extend_schema(exclude=True)
class NotFoundView(views.APIView):
    """Any other address under /api/v1/giving/records/: a JSON 404, not the HTML page."""

    permission_classes = [AllowAny]  # public

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    post = put = patch = delete = get
