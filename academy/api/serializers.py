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
    kwargs.setdefault("help_text", SUPPRESSED)
    return serializers.IntegerField(allow_null=True, min_value=0, **kwargs)


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


class AcademyFeedbackRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("The question's code."))
    label = serializers.CharField(help_text=_("In the language of the request."))
    average = serializers.FloatField(
        allow_null=True,
        min_value=1,
        max_value=5,
        help_text=_("Average answer from 1 to 5; null with fewer than 5 answers."),
    )


class AcademyAssessmentAreaSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text=_("The area's id."))
    label = serializers.CharField(help_text=_("In the language of the request."))
    baseline = serializers.FloatField(allow_null=True, help_text=_("Average of the baselines, 1 to 5."))
    follow_up = serializers.FloatField(allow_null=True, help_text=_("Average of the follow-ups, 1 to 5."))
    change = serializers.FloatField(allow_null=True, help_text=_("Follow-up minus baseline."))


class AcademyAssessmentChangeSerializer(serializers.Serializer):
    organizations = _count(
        help_text=_(
            "Organisations with both a baseline and a follow-up (dated in the year); null from 1 to 4."
        )
    )
    minimum = serializers.IntegerField(help_text=_("Fewest organisations for the areas to be shown."))
    hidden = serializers.BooleanField(help_text=_("True when fewer organisations than the minimum."))
    areas = AcademyAssessmentAreaSerializer(many=True, help_text=_("Empty when hidden."))


class AcademyTrainingFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    trainings = _count()
    organizations = _count()
    registered = _count()
    attended = _count()
    attendance_rate = serializers.FloatField(
        allow_null=True,
        min_value=0,
        max_value=100,
        help_text=_("Percent present of those registered; null with fewer than 5 registered."),
    )
    feedback_answers = _count()
    feedback = AcademyFeedbackRowSerializer(many=True)
    assessment = AcademyAssessmentChangeSerializer()


class AcademyFiguresSerializer(serializers.Serializer):
    filters = AcademyFiltersSerializer()
    totals = AcademyTotalsSerializer()
    by_municipality = AcademyBreakdownRowSerializer(many=True)
    by_gender = AcademyBreakdownRowSerializer(many=True)
    by_age_group = AcademyBreakdownRowSerializer(many=True)
    by_cohort = AcademyCohortRowSerializer(many=True)
    by_year = AcademyYearRowSerializer(many=True)
    trainings = AcademyTrainingFiguresSerializer(
        help_text=_(
            "CSO capacity trainings held in the year (by start date; every year without `year`) and "
            "the self-assessment change per area; the cohort filter does not apply."
        )
    )
