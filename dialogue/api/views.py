"""The dialogue API under /api/v1/dialogue/: public read of events and commitments; a
partner token with the scope `dialogue:write` updates its own organisation's commitments
(PATCH, with an `Idempotency-Key`: core.api.idempotency)."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filters import IdFilter, NoBlankParametersForm
from core.api.idempotency import idempotency_schema, idempotent
from core.api.permissions import HasTokenScope
from dialogue import selectors
from dialogue.api.serializers import (
    CommitmentSerializer,
    CommitmentUpdateSerializer,
    ConsultationSerializer,
    EventSerializer,
    PartnershipSerializer,
)
from dialogue.choices import CommitmentStatus, EventKind
from dialogue.models import Commitment, Consultation, Event
from dialogue.services import commitments as commitment_services
from organizations.models import ApiToken


class EventFilterForm(NoBlankParametersForm):
    NON_BLANK = ("kind",)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=EventKind.choices, label=gettext_lazy("Type"))
    municipality = django_filters.CharFilter(
        field_name="municipality__slug", label=gettext_lazy("Municipality (slug)")
    )

    class Meta:
        model = Event
        form = EventFilterForm
        fields = ["kind", "municipality"]


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("List dialogue events"),
        description=gettext_lazy(
            "Published (and cancelled) dialogue events, the latest first, with the sectors invited."
        ),
    )
)
class EventListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = EventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        return (
            Event.objects.filter(status__in=selectors.PUBLIC_EVENT)
            .select_related("topic", "municipality", "organization")
            .prefetch_related("sectors")
            .order_by("-starts_at", "-pk")
        )


@extend_schema_view(get=extend_schema(summary=gettext_lazy("One dialogue event")))
class EventDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = EventSerializer

    def get_queryset(self):
        return EventListView.get_queryset(self)


class CommitmentFilterForm(NoBlankParametersForm):
    NON_BLANK = ("status", "event")  # `?event=` is not an id: 400, as the schema says


class CommitmentFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(
        field_name="organization__slug", label=gettext_lazy("Organisation (slug)")
    )
    status = django_filters.ChoiceFilter(
        choices=CommitmentStatus.choices,
        method="filter_status",
        label=gettext_lazy("Status (late includes overdue)"),
    )
    event = IdFilter(field_name="event_id", label=gettext_lazy("Event id"))

    class Meta:
        model = Commitment
        form = CommitmentFilterForm
        fields = ["organization", "status", "event"]

    def filter_status(self, queryset, name, value):
        ids = selectors.public_commitments(status=value).values("pk")
        return queryset.filter(pk__in=ids)


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("List commitments"),
        description=gettext_lazy(
            "Commitments made at public dialogue events, by date. `overdue` marks those past their "
            "date that are neither done nor dropped."
        ),
    )
)
class CommitmentListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = CommitmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CommitmentFilter

    def get_queryset(self):
        return selectors.public_commitments()


@extend_schema_view(
    get=extend_schema(summary=gettext_lazy("One commitment")),
    patch=extend_schema(
        summary=gettext_lazy("Update a commitment of your organisation (partners)"),
        description=gettext_lazy(
            "Needs a token with the scope dialogue:write of the committed organisation and an "
            "Idempotency-Key. Changes the status (one history entry per move), the progress note, "
            "the indicator or the evidence links."
        ),
        request=CommitmentUpdateSerializer,
        **idempotency_schema({200: CommitmentSerializer}),
    ),
)
class CommitmentDetailView(generics.RetrieveAPIView):
    serializer_class = CommitmentSerializer
    required_scopes = {ApiToken.Scope.DIALOGUE_WRITE}
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self):
        if self.request is not None and self.request.method == "PATCH":
            return [HasTokenScope()]
        return [AllowAny()]

    def get_queryset(self):
        return selectors.public_commitments()

    @idempotent("dialogue.commitments.update")
    def patch(self, request, *args, **kwargs):
        commitment = self.get_object()
        if commitment.organization_id != request.auth.organization_id:
            raise Http404  # another organisation's commitment: as if it did not exist
        serializer = CommitmentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        status, note = data.pop("status", None), data.pop("note", "")
        try:
            commitment = commitment_services.commitment_update(
                commitment=commitment,
                actor=request.user,
                status=status,
                note=note,
                token=request.auth,
                **data,
            )
        except ValidationError as exc:
            raise exceptions.ValidationError({"detail": exc.messages}) from None
        except DjangoPermissionDenied:
            raise exceptions.PermissionDenied(
                _("This token may not make this change to the commitments of this organisation.")
            ) from None
        return Response(
            CommitmentSerializer(Commitment.objects.select_related("organization").get(pk=commitment.pk)).data
        )


@extend_schema_view(get=extend_schema(summary=gettext_lazy("Cross-sector partnerships")))
class PartnershipListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = PartnershipSerializer

    def get_queryset(self):
        return selectors.public_partnerships().prefetch_related("events", "commitments")


@extend_schema_view(get=extend_schema(summary=gettext_lazy("One cross-sector partnership")))
class PartnershipDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = PartnershipSerializer

    def get_queryset(self):
        return PartnershipListView.get_queryset(self)


class ConsultationFilterForm(NoBlankParametersForm):
    NON_BLANK = ("state",)


class ConsultationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("open", gettext_lazy("Open for comments")), ("closed", gettext_lazy("Closed"))],
        method="filter_state",
        label=gettext_lazy("open (taking comments) or closed (closed or past its close date)"),
    )

    class Meta:
        model = Consultation
        form = ConsultationFilterForm
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.public_consultations(state=value).values("pk"))


@extend_schema_view(
    get=extend_schema(
        summary=gettext_lazy("List public consultations"),
        description=gettext_lazy(
            "Open and closed public consultations, the latest first, with their sections and the "
            "number of comments and of answered comments (in all and per section)."
        ),
    )
)
class ConsultationListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = ConsultationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ConsultationFilter

    def get_queryset(self):
        return selectors.public_consultations_for_api()


@extend_schema_view(get=extend_schema(summary=gettext_lazy("One public consultation")))
class ConsultationDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = ConsultationSerializer

    def get_queryset(self):
        return selectors.public_consultations_for_api()
