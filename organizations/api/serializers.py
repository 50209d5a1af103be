"""What the public API shows of an organisation: its public profile, nothing private
(no members, verification notes, addresses of people or tokens)."""

import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import MemoFieldsMixin
from core.models import Municipality, Sector
from organizations import extensions
from organizations.models import Organization

SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
SLUG_MARK = "cea-slug-placeholder"


class MunicipalitySerializer(MemoFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["slug", "name_sq", "name_sr", "name_en"]


class SectorSerializer(MemoFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name_sq", "name_sr", "name_en"]


class OrganizationSerializer(MemoFieldsMixin, serializers.ModelSerializer):
    # Read-only: its fields are built once per language and thread (core.api.serializers).
    # (No docstring: it would become the schema's description.)

    municipality = MunicipalitySerializer(read_only=True)
    sectors = SectorSerializer(many=True, read_only=True)
    email = serializers.EmailField(read_only=True, allow_null=True)
    website = serializers.URLField(read_only=True, allow_null=True)
    logo = serializers.SerializerMethodField()
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "name",
            "slug",
            "kind",
            "registration_number",
            "municipality",
            "sectors",
            "description",
            "email",
            "phone",
            "website",
            "founded_year",
            "logo",
            "verification_status",
            "verified",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    BLANK_AS_NULL = ("email", "website")  # "" is no email / URL: say so with null

    def get_fields(self):
        # Read-only fields other apps add (organizations.extensions.register_api_field).
        return {**super().get_fields(), **extensions.api_fields()}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for field in self.BLANK_AS_NULL:
            if data.get(field) == "":
                data[field] = None
        return data

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field({**{"type": "string", "format": "uri"}, "nullable": True})
    def get_logo(self, obj: Organization) -> str | None:
        return self._absolute(obj.logo.url) if obj.logo else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Organization) -> str:
        """The organisation's public profile page on the portal."""
        if not SLUG.match(obj.slug or ""):
            return self._absolute(obj.get_absolute_url())
        # One address built per serializer (a list: per request), the slug put in per row:
        # reversing and joining 50 times costs more than the rest of a row.
        pattern = self.__dict__.get("_url_pattern")
        if pattern is None:
            pattern = self._url_pattern = self._absolute(Organization(slug=SLUG_MARK).get_absolute_url())
        return pattern.replace(SLUG_MARK, obj.slug)
