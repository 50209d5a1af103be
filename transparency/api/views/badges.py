"""The public badge API: every organisation's badge, and the methodology (rules, weights,
thresholds) as JSON; plus the `badge_level` field of the organisations API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, views
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from core.api.filters import NoBlankParametersForm
from transparency import badges
from transparency.choices import BadgeLevel
from transparency.models import OrganizationBadge
from transparency.selectors import badges as badges_selectors

LEVEL_VALUES = [str(value) for value in BadgeLevel.values]


@extend_schema_field(
    {
        "type": "string",
        "enum": LEVEL_VALUES,
        "readOnly": True,
        "description": "Transparency badge level (none, bronze, silver or gold).",
    }
)
class BadgeLevelField(serializers.Field):
    """The organisation's badge level ("none" when it has none); added to the organisations
    API through organizations.extensions. Reads the badge the directory selected (no query)."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, organization):
        return str(badges_selectors.level_of(organization))


class BadgeOrganizationSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text=_("The organisation's public profile on the portal."))

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, organization) -> str:
        request = self.context.get("request")
        path = organization.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class BadgeSerializer(serializers.ModelSerializer):
    organization = BadgeOrganizationSerializer(read_only=True)
    level = serializers.ChoiceField(choices=BadgeLevel.choices, read_only=True)
    year = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("The year of the report the badge is based on.")
    )
    score = serializers.IntegerField(read_only=True, min_value=0, max_value=badges.MAX_SCORE)
    rules_met = serializers.SerializerMethodField(
        help_text=_("Codes of the rules met (see the methodology).")
    )
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = OrganizationBadge
        fields = ["organization", "level", "score", "year", "rules_met", "updated_at"]
        read_only_fields = fields

    def get_rules_met(self, badge) -> list[str]:
        rules = (badge.details or {}).get("rules", {})
        return [code for code in badges.WEIGHTS if rules.get(code)]


class BadgeFilterForm(NoBlankParametersForm):
    """`?level=` (blank) is an error: leave the parameter out to mean "any level"."""

    NON_BLANK = ("level", "min_level")


class BadgeFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=BadgeLevel.choices, label=_("Exactly this level"))
    min_level = django_filters.ChoiceFilter(
        choices=badges_selectors.badge_filter_choices(),
        method="filter_min_level",
        label=_("At least this level (bronze, silver or gold)"),
    )
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("Organisation (slug)"))

    class Meta:
        model = OrganizationBadge
        form = BadgeFilterForm
        fields = ["level", "min_level", "organization"]

    def filter_min_level(self, queryset, name, value):
        return queryset.filter(level__in=badges.levels_at_least(value))


@extend_schema(
    summary=_("List transparency badges"),
    description=_(
        "The transparency badge of every active organisation that has one: level, score (0–100) "
        "and the year of the report it is based on, highest score first, 50 a page. Filter by "
        "level, by minimum level or by organisation. The rules are at /api/v1/transparency/methodology/."
    ),
)
class BadgeListView(generics.ListAPIView):
    permission_classes = [AllowAny]  # public
    serializer_class = BadgeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = BadgeFilter

    def get_queryset(self):
        return (
            OrganizationBadge.objects.filter(organization__is_active=True)
            .select_related("organization")
            .order_by("-score", "organization__name", "pk")
        )


class RequiredRuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class LevelSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=BadgeLevel.choices)
    label = serializers.CharField()
    min_score = serializers.IntegerField()
    required = RequiredRuleSerializer(many=True, help_text=_("Rules that must be met for this level."))


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    explanation = serializers.CharField()
    weight = serializers.IntegerField(help_text=_("Points the rule adds to the score when met."))


class DeadlineSerializer(serializers.Serializer):
    month = serializers.IntegerField(min_value=1, max_value=12)
    day = serializers.IntegerField(min_value=1, max_value=31)
    label = serializers.CharField()


class MethodologySerializer(serializers.Serializer):
    max_score = serializers.IntegerField()
    deadline = DeadlineSerializer(
        help_text=_("The report for a year is due by this day of the following year.")
    )
    rules = RuleSerializer(many=True)
    levels = LevelSerializer(many=True, help_text=_("Lowest first."))


@extend_schema(
    summary=_("Badge methodology"),
    description=_(
        "The published rule set of the transparency badge: each rule with its weight, the report "
        "deadline and the levels with their minimum score and required rules, in the language of "
        "the request. The same data computes the badges."
    ),
    responses=MethodologySerializer,
)
class MethodologyView(views.APIView):
    permission_classes = [AllowAny]  # public
    filter_backends: list = []

    def get(self, request):
        return Response(MethodologySerializer(badges_selectors.methodology()).data)
