"""What the giving API shows and accepts.

The public read shows verified records without internal fields (who entered or
reviewed them, fingerprints, duplicate flags) and with the donor's name only when the
public may see it. Partners write the fields of a gift; the rest (source, status,
confidence, diaspora flag) is derived by the services.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import MemoFieldsMixin
from core.models import Municipality
from core.reference_data import MUNICIPALITIES
from giving.choices import DiasporaChannel, Effect, RecipientType
from giving.models import MAX_AMOUNT, GivingRecord
from organizations.api.serializers import MunicipalitySerializer
from organizations.models import Organization

MAX_BULK_RECORDS = 500
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


# What the write serializer checks, published in the schema (issue 12, item 20): the
# municipality is one of the 38 fixed slugs, the country an ISO 3166 code, the organisation a slug.
@extend_schema_field({"type": "string", "enum": [slug for slug, *_names in MUNICIPALITIES], "nullable": True})
class MunicipalitySlugField(serializers.SlugRelatedField):
    pass


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN, "maxLength": 255, "nullable": True})
class OrganizationSlugField(serializers.SlugRelatedField):
    pass


def _country_codes():
    from django_countries import countries

    return ["", *sorted(code for code, _name in countries)]


@extend_schema_field({"type": "string", "enum": _country_codes()})
class CountryCodeField(serializers.CharField):
    pass


class OrganizationRefSerializer(MemoFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name"]
        read_only_fields = fields


class GivingRecordSerializer(MemoFieldsMixin, serializers.ModelSerializer):
    """A verified record as the public sees it."""

    # Read-only: its fields are built once per language and thread (core.api.serializers);
    # the docstring above is the schema's description.

    donor_name = serializers.SerializerMethodField(
        help_text=_("Empty for individuals who did not agree to be named.")
    )
    recipient_name = serializers.SerializerMethodField(
        help_text=_("Empty when the recipient is an individual or a family.")
    )
    donor_organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    recipient_organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    municipality = MunicipalitySerializer(read_only=True, allow_null=True)
    donor_country = serializers.CharField(
        read_only=True, help_text=_("ISO 3166 code of the diaspora donor's country; may be empty.")
    )
    # Blank on most records (not a diaspora gift, no effect given): the schema's enums say so.
    diaspora_channel = serializers.ChoiceField(DiasporaChannel.choices, allow_blank=True, read_only=True)
    effect = serializers.ChoiceField(Effect.choices, allow_blank=True, read_only=True)
    source_url = serializers.URLField(
        read_only=True, allow_blank=True, help_text=_("Where the gift was published; may be empty.")
    )
    # A plain string in the schema: another app's "source" enum would collide with this one's
    # name (drf-spectacular's ENUM_NAME_OVERRIDES in settings is the lasting fix).
    source = serializers.CharField(
        read_only=True,
        help_text=_("Where the record comes from: media, partner, cso_self, staff or public."),
    )

    class Meta:
        model = GivingRecord
        fields = [
            "id",
            "date",
            "amount",
            "support_kind",
            "donor_type",
            "is_diaspora",
            "donor_name",
            "donor_organization",
            "donor_country",
            "diaspora_channel",
            "recipient_type",
            "recipient_name",
            "recipient_organization",
            "cause",
            "beneficiary_group",
            "geography",
            "municipality",
            "recurrence",
            "effect",
            "description",
            "source",
            "source_url",
            "confidence",
        ]
        read_only_fields = fields
        # What the methods read beyond their own fields (core.api.serializers.model_columns):
        # `public_donor_name` hides an individual's name without consent.
        read_columns = ("donor_name_public",)

    @extend_schema_field(serializers.CharField())
    def get_donor_name(self, obj: GivingRecord) -> str:
        return obj.public_donor_name

    @extend_schema_field(serializers.CharField())
    def get_recipient_name(self, obj: GivingRecord) -> str:
        # A family or a person who received help is not named in public data.
        if obj.recipient_type == RecipientType.INDIVIDUAL_FAMILY:
            return ""
        return obj.recipient_name


class GivingRecordWriteSerializer(serializers.ModelSerializer):
    """One gift submitted by a partner. Municipality and recipient organisation are given
    by their slugs; the record is checked again by the services (future dates, the
    municipality for local gifts, duplicates)."""

    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        coerce_to_string=True,
        help_text=_("EUR; for goods, services or volunteer time the estimated value."),
    )
    municipality = MunicipalitySlugField(
        slug_field="slug",
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Slug of the municipality, e.g. prishtine; required when geography is municipality."),
    )
    recipient_organization = OrganizationSlugField(
        slug_field="slug",
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Slug of the recipient organisation in the portal's directory."),
    )
    donor_country = CountryCodeField(
        required=False,
        allow_blank=True,
        max_length=2,
        help_text=_("ISO 3166 two-letter code of the diaspora donor's country."),
    )

    class Meta:
        model = GivingRecord
        fields = [
            "id",
            "date",
            "amount",
            "support_kind",
            "donor_type",
            "donor_name",
            "donor_name_public",
            "donor_country",
            "diaspora_channel",
            "recipient_type",
            "recipient_name",
            "recipient_organization",
            "cause",
            "beneficiary_group",
            "geography",
            "municipality",
            "recurrence",
            "effect",
            "description",
            "source_url",
            "status",
            "confidence",
            "is_diaspora",
            "possible_duplicate_of",
        ]
        read_only_fields = ["id", "status", "confidence", "is_diaspora", "possible_duplicate_of"]

    def validate_donor_country(self, value: str) -> str:
        from django_countries import countries

        value = (value or "").upper()
        if value and value not in dict(countries):
            raise serializers.ValidationError(_("Unknown country code."))
        return value


class GivingRecordBulkSerializer(serializers.Serializer):
    records = GivingRecordWriteSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_BULK_RECORDS,
        help_text=_("At most 500 records; either all are recorded or none."),
    )


class GivingRecordBulkResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    records = GivingRecordWriteSerializer(many=True)


class DuplicateErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    existing_id = serializers.IntegerField(
        required=False,
        help_text=_(
            "The id of the record of the same gift, when your organisation entered it (absent otherwise "
            "and for a request in progress)."
        ),
    )


class BulkDuplicateSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the submitted record (from 0)."))
    existing_id = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The gift your organisation already recorded that it repeats (null: it repeats an earlier item)."
        ),
    )
    duplicate_of_index = serializers.IntegerField(
        allow_null=True, help_text=_("The earlier item it repeats (null: it repeats a recorded gift).")
    )


class BulkDuplicateErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = BulkDuplicateSerializer(many=True, required=False)
