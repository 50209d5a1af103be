"""Aggregate figures of the help desk for partners: counts only, never a request's content."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FiguresQuerySerializer(serializers.Serializer):
    months = serializers.IntegerField(
        required=False, default=12, min_value=1, max_value=24, help_text=_("How many months back (1 to 24).")
    )


class TotalsSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0)
    open = serializers.IntegerField(min_value=0)
    unassigned = serializers.IntegerField(min_value=0)
    overdue = serializers.IntegerField(min_value=0)
    answered = serializers.IntegerField(min_value=0)
    rated = serializers.IntegerField(min_value=0)
    solved = serializers.IntegerField(min_value=0)
    average_rating = serializers.FloatField(allow_null=True, min_value=1, max_value=5)


class MonthlyRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("The first day of the month."))
    key = serializers.CharField(
        help_text=_("The category code, partner organisation name or municipality slug.")
    )
    label = serializers.CharField()
    count = serializers.IntegerField(min_value=0)


class FiguresSerializer(serializers.Serializer):
    totals = TotalsSerializer()
    by_category = MonthlyRowSerializer(many=True)
    by_partner = MonthlyRowSerializer(many=True)
    by_municipality = MonthlyRowSerializer(many=True)
