"""What the grants API shows: published calls (with their form and rubric), awarded grants
(individuals withheld) and, to co-managing partners, the applications of their calls."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grants import open_data
from grants.choices import ApplicantType, ApplicationStatus, Eligibility, GrantStatus, QuestionKind, Stage
from grants.models import Application, Call, Criterion, Grant, Question


def _inline_enum(choices, description: str = ""):
    """A choice field documented inline, not as a shared `…Enum` component (whose name
    could collide with another app's field of the same name)."""
    schema = {"type": "string", "enum": [value for value, _label in choices]}
    if description:
        schema["description"] = description

    @extend_schema_field(schema)
    class _Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    return _Field


ApplicantTypeField = _inline_enum(ApplicantType.choices)
StageField = _inline_enum(Stage.choices)
QuestionKindField = _inline_enum(QuestionKind.choices)
GrantStatusField = _inline_enum(GrantStatus.choices)
ApplicationStatusField = _inline_enum(ApplicationStatus.choices)
EligibilityField = _inline_enum(Eligibility.choices)


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class QuestionSerializer(serializers.ModelSerializer):
    kind = QuestionKindField(read_only=True)
    stage = StageField(read_only=True)
    key = serializers.CharField(
        read_only=True, help_text="The key of the answer in an application's answers."
    )
    options = serializers.SerializerMethodField()

    class Meta:
        model = Question
        fields = [
            "key",
            "stage",
            "order",
            "kind",
            "label_sq",
            "label_sr",
            "label_en",
            "help_sq",
            "help_sr",
            "help_en",
            "required",
            "word_limit",
            "min_value",
            "max_value",
            "options",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "value": {"type": "string"},
                    "sq": {"type": "string"},
                    "sr": {"type": "string"},
                    "en": {"type": "string"},
                },
            },
        }
    )
    def get_options(self, obj: Question) -> list[dict]:
        """The options of a choice question: value (its position) and label per language."""
        if not obj.is_choice:
            return []
        lines = {
            lang: [line.strip() for line in getattr(obj, f"choices_{lang}").splitlines() if line.strip()]
            for lang in ("sq", "sr", "en")
        }
        options = []
        for index, label_sq in enumerate(lines["sq"]):
            option = {"value": str(index + 1), "sq": label_sq}
            for lang in ("sr", "en"):
                same_length = len(lines[lang]) == len(lines["sq"])
                option[lang] = lines[lang][index] if same_length else label_sq
            options.append(option)
        return options


class CriterionSerializer(serializers.ModelSerializer):
    stage = StageField(read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "stage",
            "order",
            "title_sq",
            "title_sr",
            "title_en",
            "guidance_sq",
            "guidance_sr",
            "guidance_en",
            "weight",
            "max_score",
        ]
        read_only_fields = fields


class CallSerializer(serializers.ModelSerializer):
    applicant_types = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Who may apply: any of organization, group, individual.",
    )
    municipalities = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    phase = _inline_enum(
        [("upcoming", "upcoming"), ("open", "open"), ("closed", "closed")],
        "upcoming: not open yet; open: applications accepted; closed: past the deadline.",
    )(read_only=True)
    questions = QuestionSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "code",
            "title_sq",
            "title_sr",
            "title_en",
            "summary_sq",
            "summary_sr",
            "summary_en",
            "description_sq",
            "description_sr",
            "description_en",
            "applicant_types",
            "total_budget",
            "min_amount",
            "max_amount",
            "cofinancing_percent",
            "opens_at",
            "closes_at",
            "two_stage",
            "full_proposal_closes_at",
            "municipalities",
            "sectors",
            "phase",
            "questions",
            "criteria",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Call) -> str:
        """The call's page on the portal."""
        from django.urls import reverse

        return _absolute(self, reverse("grants:call_detail", kwargs={"slug": obj.slug}))


class RecipientSerializer(serializers.Serializer):
    applicant_type = ApplicantTypeField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="Never the name of an individual.")
    organization = serializers.CharField(
        read_only=True, allow_null=True, help_text="The organisation's slug (organisations only)."
    )
    organization_identifier = serializers.CharField(
        read_only=True, allow_null=True, help_text="Its 360Giving identifier (organisations only)."
    )
    url = serializers.CharField(
        read_only=True, allow_null=True, help_text="Its public profile on the portal."
    )


class MunicipalityRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    name_sq = serializers.CharField(read_only=True)
    name_sr = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class CallRefSerializer(serializers.Serializer):
    slug = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    title_sq = serializers.CharField(read_only=True)
    title_sr = serializers.CharField(read_only=True)
    title_en = serializers.CharField(read_only=True)


class AwardedGrantSerializer(serializers.ModelSerializer):
    identifier = serializers.CharField(read_only=True, help_text="The 360Giving identifier of the grant.")
    reference = serializers.CharField(source="application.reference", read_only=True)
    title = serializers.CharField(source="application.title", read_only=True)
    description = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    call = CallRefSerializer(read_only=True)
    recipient = serializers.SerializerMethodField()
    municipality = MunicipalityRefSerializer(
        source="application.municipality", read_only=True, allow_null=True
    )
    award_date = serializers.SerializerMethodField()
    starts_on = serializers.SerializerMethodField()
    ends_on = serializers.SerializerMethodField()
    status = GrantStatusField(read_only=True)

    class Meta:
        model = Grant
        fields = [
            "identifier",
            "reference",
            "title",
            "description",
            "currency",
            "amount",
            "call",
            "recipient",
            "municipality",
            "award_date",
            "starts_on",
            "ends_on",
            "status",
        ]
        read_only_fields = fields

    def get_description(self, obj: Grant) -> str:
        """The project's summary (empty for grants to individuals: withheld)."""
        return open_data.purpose(obj)

    def get_currency(self, obj: Grant) -> str:
        return "EUR"

    @extend_schema_field(RecipientSerializer)
    def get_recipient(self, obj: Grant) -> dict:
        application = obj.application
        organization = (
            application.organization if application.applicant_type == ApplicantType.ORGANIZATION else None
        )
        url = open_data.recipient_url(obj)
        return {
            "applicant_type": application.applicant_type,
            "name": open_data.recipient_name(obj),
            "organization": organization.slug if organization else None,
            "organization_identifier": open_data.organization_identifier(organization)
            if organization
            else None,
            "url": _absolute(self, url) if url else None,
        }

    @extend_schema_field(OpenApiTypes.DATE)
    def get_award_date(self, obj: Grant) -> str:
        return timezone.localtime(obj.awarded_at).date().isoformat()

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_starts_on(self, obj: Grant) -> str | None:
        value = open_data.planned_dates(obj)[0]
        return value.isoformat() if value else None

    @extend_schema_field({"type": "string", "format": "date", "nullable": True})
    def get_ends_on(self, obj: Grant) -> str | None:
        value = open_data.planned_dates(obj)[1]
        return value.isoformat() if value else None


class AnswerSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.DictField(child=serializers.CharField(allow_blank=True))
    kind = serializers.CharField()
    value = serializers.JSONField(allow_null=True)
    display = serializers.CharField(allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(
        allow_blank=True, help_text="The reason or the conditions sent to the applicant."
    )


class PartnerApplicationSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    applicant_type = ApplicantTypeField(read_only=True)
    applicant_name = serializers.SerializerMethodField()
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    stage = StageField(read_only=True)
    status = ApplicationStatusField(read_only=True)
    eligibility = EligibilityField(read_only=True)
    decision = serializers.SerializerMethodField()
    approved_amount = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()
    revision = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "reference",
            "call",
            "stage",
            "applicant_type",
            "applicant_name",
            "organization",
            "title",
            "summary",
            "municipality",
            "starts_on",
            "ends_on",
            "status",
            "eligibility",
            "requested_amount",
            "cofinancing_amount",
            "total_cost",
            "submitted_at",
            "average_score",
            "reviews_done",
            "reviews_assigned",
            "decision",
            "approved_amount",
            "revision",
            "answers",
        ]
        read_only_fields = fields

    def get_applicant_name(self, obj: Application) -> str:
        """The organisation or group; an individual's name is withheld."""
        if obj.applicant_type == ApplicantType.ORGANIZATION and obj.organization_id:
            return obj.organization.name
        if obj.applicant_type == ApplicantType.GROUP:
            return obj.group_name
        return str(open_data.INDIVIDUAL_WITHHELD)

    @extend_schema_field(DecisionSerializer(allow_null=True))
    def get_decision(self, obj: Application) -> dict | None:
        """Approved or rejected: when, and the reason or conditions; else null."""
        if obj.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
            return None
        decided_at = serializers.DateTimeField().to_representation(obj.decided_at) if obj.decided_at else None
        return {"decided_at": decided_at, "note": obj.decision_note}

    @extend_schema_field({"type": "string", "format": "decimal", "nullable": True})
    def get_approved_amount(self, obj: Application) -> str | None:
        grant = getattr(obj, "grant", None) if obj.status == ApplicationStatus.APPROVED else None
        return f"{grant.amount:.2f}" if grant is not None else None

    def _latest(self, obj: Application):
        revisions = getattr(obj, "latest_revisions", None)
        if revisions is None:
            revisions = list(obj.revisions.order_by("-number")[:1])
        return revisions[0] if revisions else None

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_revision(self, obj: Application) -> int | None:
        """The number of the latest revision sent (answers below are from it)."""
        latest = self._latest(obj)
        return latest.number if latest else None

    @extend_schema_field(AnswerSerializer(many=True))
    def get_answers(self, obj: Application) -> list:
        """The answers of the latest revision sent: question key, labels, kind, value, display."""
        latest = self._latest(obj)
        if latest is None:
            return []
        return [
            {
                "key": a.get("key", ""),
                "label": a.get("label", {}),
                "kind": a.get("kind", ""),
                "value": a.get("value"),
                "display": a.get("display", ""),
            }
            for a in (latest.snapshot or {}).get("answers", [])
        ]
