"""Strict query parameters for every app's API filters (django-filter).

A malformed value (`verified=maybe`, `?kind=` with nothing) makes the filterset invalid,
and DjangoFilterBackend answers 400 with the parameter's name and messages, instead of
silently reading it as "no filter".
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import BaseCSVField
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as drf_filters
from rest_framework.exceptions import ValidationError


class StrictBooleanField(forms.Field):
    """true/false/1/0; anything else is an error (Django's NullBooleanField would
    silently read it as "no filter")."""

    default_error_messages = {"invalid": _("Enter true or false.")}
    TRUE_VALUES = frozenset({"true", "1"})
    FALSE_VALUES = frozenset({"false", "0"})

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        value = str(value).strip().lower()
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class OrderingCSVField(BaseCSVField):
    """`ordering=name,-created_at`: every place between the commas names a field. An empty
    place (`ordering=,` or `ordering=name,`) is an error with its message (django-filter let
    it through, and ordering by "" was a 500); a bare `ordering=` is `NoBlankParametersForm`'s."""

    default_error_messages = {
        "blank_item": _("Name a field in every place of the list: no empty place between or after commas.")
    }

    def clean(self, value):
        if value is not None and len(value) > 1 and any(item in ("", None) for item in value):
            raise forms.ValidationError(self.error_messages["blank_item"], code="blank_item")
        return super().clean(value)


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with the primary key as last tie-breaker, so that
    pages never overlap; an empty place in its list is a 400 (`OrderingCSVField`)."""

    base_field_class = OrderingCSVField

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "pk")


class NoBlankParametersForm(forms.Form):
    """A parameter given with an empty value (`?kind=`) is an error for the parameters
    whose values are constrained (enums, booleans): leave it out to mean "any".

    A filterset's form names them in `NON_BLANK` (or returns them from
    `non_blank_names()` when they are known only at run time).

    A parameter that takes one value and is given several times (`?year=2024&year=`) is an
    error for every field of the form: the form would read only the last one, so the
    others were silently dropped (the schema says one value)."""

    NON_BLANK: tuple[str, ...] = ()

    def non_blank_names(self):
        return self.NON_BLANK

    def clean(self):
        cleaned = super().clean()
        getlist = getattr(self.data, "getlist", None)
        repeated = set()
        if getlist:
            for name, field in self.fields.items():
                if not getattr(field.widget, "allow_multiple_selected", False) and len(getlist(name)) > 1:
                    repeated.add(name)
                    self.errors.pop(name, None)
                    self.add_error(name, _("Give this parameter once: it takes one value."))
        for name in self.non_blank_names():
            if name not in self.fields or name in repeated:  # another filterset's form; said
                continue
            values = getlist(name) if getlist else [self.data.get(name)]
            if name in self.data and all(value in ("", None) for value in values):
                # One message: the field's own check of "" ("Select a valid choice.  is not
                # one of…", with a hole where the value goes) says nothing more.
                self.errors.pop(name, None)
                self.add_error(name, _("Leave this parameter out, or give it a value."))
        return cleaned


class StrictOrderingFilter(drf_filters.OrderingFilter):
    """DRF's `?ordering=` (the default backend of the lists without a filterset's own ordering)
    with every term checked: a field the list cannot be ordered by, an empty place or the
    parameter given twice is a 400 naming the fields it takes, not silently the default order.
    The schema lists those fields as a pattern, so what it documents is what is accepted."""

    def _valid(self, queryset, view, request=None) -> list[str]:
        return [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]

    def get_ordering(self, request, queryset, view):
        values = request.query_params.getlist(self.ordering_param)
        if not values:
            return self.get_default_ordering(view)
        if len(values) > 1:
            raise ValidationError({self.ordering_param: [_("Give this parameter once: it takes one value.")]})
        terms = [term.strip() for term in values[0].split(",")]
        valid = self._valid(queryset, view, request)
        if not all(term.removeprefix("-") in valid for term in terms):
            raise ValidationError(
                {
                    self.ordering_param: [
                        _(
                            "Order by one or more of these, separated by commas (a minus sign first for descending): %(fields)s."
                        )
                        % {"fields": ", ".join(valid)}
                    ]
                }
            )
        return terms

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        valid = self._valid(view.get_queryset(), view, getattr(view, "request", None))
        term = "-?(?:" + "|".join(valid) + ")"
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "pattern": f"^{term}(?:,{term})*$"}
            parameter["description"] = f"{parameter['description']} ({', '.join(valid)})"
        return parameters


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """An object's id: a whole number from 1 to the end of a bigint. django-filter's NumberFilter
    also takes 0.5 and -1.8e308, and a number past bigint's end is a database error (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
