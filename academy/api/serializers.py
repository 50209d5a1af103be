"""The Academy's figures for partners: aggregates only, never a person, with small cells hidden."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

SUPPRESSED = _("Null when the count is from 1 to 4 (hidden so that nobody can be singled out).")
RATE = _("Percent, one decimal; null with no session held yet or fewer than 5 participants.")


class AcademyFiguresQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only cohorts of this year (2000 to 2100)."),
    )
    cohort = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("Only this cohort (its id).")
    )


def _count(**kwargs):
    return serializers.IntegerField(allow_null=True, min_value=0, help_text=SUPPRESSED, **kwargs)


def _rate():
    return serializers.FloatField(allow_null=True, min_value=0, max_value=100, help_text=RATE)


class AcademyFigureRowSerializer(serializers.Serializer):
    participants = _count()
    attendance_rate = _rate()
    completed = _count()
    completion_rate = _rate()
    projects = _count()
    finished_projects = _count()
    peers_mobilised = _count()
    certificates = _count()


class AcademyTotalsSerializer(AcademyFigureRowSerializer):
    cohorts = serializers.IntegerField(min_value=0)


class AcademyCohortRowSerializer(AcademyFigureRowSerializer):
    cohort = serializers.IntegerField(min_value=1)
    title = serializers.CharField()
    year = serializers.IntegerField()


class AcademyYearRowSerializer(AcademyFigureRowSerializer):
    year = serializers.IntegerField()


class AcademyBreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The municipality slug, gender or age group code."))
    label = serializers.CharField(help_text=_("In the language of the request."))
    count = _count()


class AcademyFiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    cohort = serializers.IntegerField(allow_null=True)


class AcademyFiguresSerializer(serializers.Serializer):
    filters = AcademyFiltersSerializer()
    totals = AcademyTotalsSerializer()
    by_municipality = AcademyBreakdownRowSerializer(many=True)
    by_gender = AcademyBreakdownRowSerializer(many=True)
    by_age_group = AcademyBreakdownRowSerializer(many=True)
    by_cohort = AcademyCohortRowSerializer(many=True)
    by_year = AcademyYearRowSerializer(many=True)
