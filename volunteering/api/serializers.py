from rest_framework import serializers

from volunteering.models import Opportunity


class OpportunitySerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cause = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    must_have_skills = serializers.SerializerMethodField()
    nice_to_have_skills = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "organization",
            "cause",
            "municipality",
            "remote",
            "starts_on",
            "ends_on",
            "ongoing",
            "places",
            "places_left",
            "hours_per_week",
            "deadline",
            "brief",
            "expertise",
            "form",
            "must_have_skills",
            "nice_to_have_skills",
            "languages",
            "published_at",
        ]

    def get_must_have_skills(self, obj) -> list[str]:
        return [n.skill.slug for n in obj.skill_needs.all() if n.required]

    def get_nice_to_have_skills(self, obj) -> list[str]:
        return [n.skill.slug for n in obj.skill_needs.all() if not n.required]

    def get_languages(self, obj) -> list[str]:
        return [lang.language for lang in obj.languages.all()]


class HoursFigureSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="The municipality's or cause's slug, or the month (YYYY-MM); empty for remote or none."
    )
    volunteers = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=2)
