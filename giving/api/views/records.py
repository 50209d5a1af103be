"""The giving records API: public read of verified records; partner writes with a
`giving:write` token and an `Idempotency-Key` (`core.api.idempotency`: a retry with the
same key and body gets the first answer back, another body 422, a request still running
409; a request refused as invalid (400) keeps nothing, so the key may be used again with
a corrected body).
"""

import functools

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, status
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from simple_history.utils import bulk_create_with_history

from core.api.filters import NoBlankParametersForm
from core.api.idempotency import idempotency_schema, idempotent
from core.api.pagination import StrictPageSizeMixin
from core.api.permissions import HasTokenScope
from core.api.serializers import model_columns
from core.api.views import KeptListMixin
from core.models import Municipality
from core.reference_data import MUNICIPALITIES
from giving import selectors
from giving.api.serializers import (
    BulkDuplicateErrorSerializer,
    DuplicateErrorSerializer,
    GivingRecordBulkResultSerializer,
    GivingRecordBulkSerializer,
    GivingRecordSerializer,
    GivingRecordWriteSerializer,
)
from giving.choices import Source, Status
from giving.filters import GivingFilter, unknown_parameters
from giving.models import GivingRecord
from giving.services import imports
from giving.services import records as services
from giving.signals import PAGE_TOPICS
from organizations.models import ApiToken


@functools.cache
def record_columns() -> tuple[str, ...]:
    """The columns the public read writes: those of GivingRecordSerializer (model_columns)."""
    return model_columns(GivingRecordSerializer)


RECORDS_PAGE = "giving.api.records"  # the kept first pages (core.fragments) and their count of variants


class RecordCursorPagination(StrictPageSizeMixin, CursorPagination):
    """Newest first (`-date`, then `-id`); `?cursor=` from `next`/`previous`, `?page_size=`
    up to 500 (StrictPageSizeMixin). A malformed cursor is a 404."""

    ordering = ("-date", "-id")
    page_size = 100
    max_page_size = 500


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
DUPLICATE_DESCRIPTION = gettext_lazy(
    "Your organisation already recorded this gift (the body names the record). A gift that only "
    "another organisation recorded is accepted and checked by KCSF's moderators as a possible duplicate."
)
BULK_DUPLICATE_DESCRIPTION = gettext_lazy(
    "Some of the gifts are repeated in the request or already recorded by your organisation (the body "
    "names them by position)."
)


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
        "donor_country",
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
        request=GivingRecordWriteSerializer,
        **idempotency_schema(
            {201: GivingRecordWriteSerializer},
            conflict=DuplicateErrorSerializer,
            conflict_description=DUPLICATE_DESCRIPTION,
        ),
    ),
)
class GivingRecordListView(_PartnerWriteMixin, KeptListMixin, generics.ListCreateAPIView):
    # The first page of a selection (no cursor), which partners poll again and again, is kept
    # in core.fragments under the dashboard's topics (a record, an organisation or a
    # municipality saved or deleted, bulk imports and moderation included, makes it out of
    # date at once; core.api.views.KeptListMixin). It is public data, the same for every
    # caller. Pages after a cursor (and invalid selections, which raise) are built every time,
    # and so are new selections past the page cache's cap of variants a window: the parameters
    # take any value (dates, years), and one client cycling through them must not fill the cache.
    kept_list_name = RECORDS_PAGE
    kept_list_topics = PAGE_TOPICS
    pagination_class = RecordCursorPagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = RecordFilter

    def get_queryset(self):
        return selectors.public_records_for_api(fields=record_columns())

    def list(self, request, *args, **kwargs):
        # An unknown (misspelt, unsupported) filter is a 400, never the unfiltered list.
        unknown = unknown_parameters(request.query_params, allowed=("cursor", "page_size", "format"))
        if unknown:
            raise exceptions.ValidationError(unknown)
        return super().list(request, *args, **kwargs)

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return GivingRecordWriteSerializer
        return GivingRecordSerializer

    @idempotent("giving.records.create")
    def create(self, request, *args, **kwargs):
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
            # Raised only for a record the caller may be told about (its organisation's, or
            # its own): another organisation's is recorded and flagged, never confirmed.
            body = {
                "detail": _("This gift is already recorded as record %(id)s.") % {"id": exc.existing.pk},
                "existing_id": exc.existing.pk,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(GivingRecordWriteSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary=gettext_lazy("Submit up to 500 giving records at once (partners)"),
    description=gettext_lazy(
        "All or nothing: if any record is invalid (400, errors by position) or already recorded "
        "(409, naming the positions and existing records), none is recorded. Needs a token with "
        "the scope giving:write and an Idempotency-Key."
    ),
    request=GivingRecordBulkSerializer,
    **idempotency_schema(
        {201: GivingRecordBulkResultSerializer},
        conflict=BulkDuplicateErrorSerializer,
        conflict_description=BULK_DUPLICATE_DESCRIPTION,
    ),
)
class GivingRecordBulkView(_PartnerWriteMixin, generics.GenericAPIView):
    serializer_class = GivingRecordBulkSerializer
    pagination_class = None
    filter_backends: list = []

    @idempotent("giving.records.bulk")
    def post(self, request, *args, **kwargs):
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
        # Refused only for records the caller may be told about (see the single create); the
        # others are recorded, flagged for the moderators as possible duplicates.
        told = imports._existing_fingerprints(existing, told_to=(request.user, organization))
        for index, record in enumerate(records):
            if record.fingerprint in told:
                duplicates.append(
                    {"index": index, "existing_id": told[record.fingerprint], "duplicate_of_index": None}
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
            return Response(
                {
                    "detail": _(
                        "Nothing was recorded: %(count)s of the records are already recorded or repeated."
                    )
                    % {"count": len(duplicates)},
                    "duplicates": duplicates,
                },
                status=status.HTTP_409_CONFLICT,
            )
        for index, pk in imports.near_duplicates(records).items():
            records[index].possible_duplicate_of_id = pk
        for record in records:
            if record.fingerprint in existing:  # an exact duplicate the caller is not told about
                record.possible_duplicate_of_id = existing[record.fingerprint]
        bulk_create_with_history(
            records, GivingRecord, batch_size=imports.CHUNK_SIZE, default_user=request.user
        )
        return Response(
            {"count": len(records), "records": GivingRecordWriteSerializer(records, many=True).data},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    summary=gettext_lazy("One verified giving record"),
    description=gettext_lazy("A verified record by its id; any other id is a 404."),
)
class GivingRecordDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = GivingRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_records_for_api(fields=record_columns())
