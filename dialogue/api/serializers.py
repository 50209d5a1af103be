"""Serializers of the dialogue API: events and commitments (public read), and the change of
a commitment by its organisation's partner token."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dialogue.choices import (
    Audience,
    CommitmentStatus,
    ConsultationStatus,
    EventKind,
    EventStatus,
    PartnershipStatus,
)
from dialogue.models import Commitment, Consultation, ConsultationSection, Event, EventSector, Partnership


class _OrganizationSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)


class EventSectorSerializer(serializers.ModelSerializer):
    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)

    class Meta:
        model = EventSector
        fields = ["audience", "places"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=EventKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=EventStatus.choices, read_only=True)
    topic = serializers.CharField(source="topic.slug", read_only=True, help_text=_("The topic's slug."))
    municipality = serializers.CharField(
        source="municipality.slug", read_only=True, allow_null=True, help_text=_("The municipality's slug.")
    )
    organization = _OrganizationSerializer(read_only=True, allow_null=True)
    sectors = EventSectorSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "status",
            "title_sq",
            "title_sr",
            "title_en",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "municipality",
            "organization",
            "registration_opens_at",
            "registration_closes_at",
            "sectors",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "string", "enum": list(CommitmentStatus.values)})
class CommitmentStatusField(serializers.ChoiceField):
    pass


class CommitmentSerializer(serializers.ModelSerializer):
    status = CommitmentStatusField(choices=CommitmentStatus.choices, read_only=True)
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text=_("Past its date and neither done nor dropped: shown as late."),
    )
    organization = _OrganizationSerializer(read_only=True)
    evidence_links = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Commitment
        fields = [
            "id",
            "event",
            "organization",
            "what",
            "due_date",
            "indicator",
            "status",
            "overdue",
            "progress_note",
            "evidence_links",
            "strategy_measure_id",
            "updated_at",
        ]
        read_only_fields = fields


class CommitmentUpdateSerializer(serializers.Serializer):
    status = CommitmentStatusField(choices=CommitmentStatus.choices, required=False)
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Why the status changed.")
    )
    progress_note = serializers.CharField(required=False, allow_blank=True, max_length=3000)
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=500)
    evidence_links = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=10
    )


class _MemberSerializer(_OrganizationSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("The organisation's kind (sector)."))


class PartnershipSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=PartnershipStatus.choices, read_only=True)
    members = _MemberSerializer(many=True, read_only=True)
    events = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    commitments = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "name", "goal", "started_on", "status", "outputs", "members", "events", "commitments"]
        read_only_fields = fields


class ConsultationSectionSerializer(serializers.ModelSerializer):
    comment_count = serializers.IntegerField(read_only=True, help_text=_("Comments on this section."))
    answered_count = serializers.IntegerField(
        read_only=True, help_text=_("Comments on this section the organiser has answered.")
    )

    class Meta:
        model = ConsultationSection
        fields = [
            "id",
            "position",
            "heading_sq",
            "heading_sr",
            "heading_en",
            "body_sq",
            "body_sr",
            "body_en",
            "comment_count",
            "answered_count",
        ]
        read_only_fields = fields


class ConsultationSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ConsultationStatus.choices, read_only=True)
    organization = _OrganizationSerializer(
        read_only=True, allow_null=True, help_text=_("Empty: organised by KCSF.")
    )
    accepting_comments = serializers.SerializerMethodField(help_text=_("Open for comments now."))
    sections = ConsultationSectionSerializer(many=True, read_only=True)
    comment_count = serializers.IntegerField(read_only=True)
    answered_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "status",
            "title_sq",
            "title_sr",
            "title_en",
            "introduction_sq",
            "introduction_sr",
            "introduction_en",
            "organization",
            "opens_at",
            "closes_at",
            "accepting_comments",
            "comment_count",
            "answered_count",
            "sections",
        ]
        read_only_fields = fields

    def get_accepting_comments(self, consultation) -> bool:
        return consultation.accepting_comments()
