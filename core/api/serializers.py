"""Read-only serializers of API lists that build their fields once, not on every request.

DRF builds a serializer's fields afresh for each serializer it creates: `get_fields()`
deep-copies every declared field (each copy runs the field's `__init__` again) and a
ModelSerializer reads the model's fields to build the rest, for each request; then it walks a
generator and a chain of checks for each field of each row. On a public list of 50 rows with
nested objects that is a large share of the request.

`MemoFieldsMixin` (before the DRF class: `class S(MemoFieldsMixin, serializers.ModelSerializer)`)
keeps the built field set per serializer class, language and thread, and hands it to the next
serializer of the class in that thread: the fields stay bound to their names, and their
`parent` is set to the new serializer, so that `context`, `root` and the
SerializerMethodFields' methods are the new one's (nested serializers inside the set stay
bound to it: their children reach the new serializer through them). It also writes each row
as DRF does with the per-field decisions taken once.

Only for serializers that are read-only and used one at a time per thread (an API list or
detail: one serializer per request; each thread — a gunicorn worker, a test — has its own
sets). Nested serializers and serializers built inside another one are left to DRF (their
fields belong to the set of the outermost one). `forget_fields()` drops the sets of this
thread (a registry of extra fields changed, e.g. `organizations.extensions.register_api_field`).

`model_columns(SerializerClass)`: the columns a read-only ModelSerializer writes, for
`QuerySet.only()`, so that a list reads no more than it shows and the list of columns is the
serializer itself (the selector takes them from the API view: selectors never import the API)."""

import threading
from collections.abc import Mapping

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import cached_property
from django.utils.translation import get_language
from rest_framework import serializers
from rest_framework.fields import Field, SkipField
from rest_framework.relations import PKOnlyObject
from rest_framework.utils.serializer_helpers import BindingDict

_local = threading.local()


def forget_fields() -> None:
    """Drop the field sets this thread keeps (the next serializer of each class builds anew)."""
    _local.__dict__.pop("sets", None)


@receiver(setting_changed)
def _forget_on_setting_change(**kwargs):
    forget_fields()


def _row_plan(fields) -> list[tuple]:
    """(name, field, attribute) for each readable field; `attribute` is the one attribute of the
    row to read when the field reads it as DRF's Field.get_attribute does, None otherwise."""
    plan = []
    for name, field in fields.items():
        if field.write_only:
            continue
        simple = (
            type(field).get_attribute is Field.get_attribute
            and isinstance(field.source_attrs, list)
            and len(field.source_attrs) == 1
        )
        plan.append((name, field, field.source_attrs[0] if simple else None))
    return plan


def _attribute(field, instance, attribute: str | None):
    """What DRF's `field.get_attribute(instance)` returns; a plain attribute read directly
    (anything unusual — a missing attribute, a related object that does not exist, a method —
    goes DRF's way, which raises or skips as DRF does)."""
    if attribute is not None:
        try:
            value = getattr(instance, attribute)
        except Exception:  # noqa: BLE001 - DRF's way below raises, skips or defaults as DRF does
            return field.get_attribute(instance)
        if not callable(value):
            return value
    return field.get_attribute(instance)


class MemoFieldsMixin:
    @cached_property
    def fields(self):
        outermost = self.parent is None or (
            isinstance(self.parent, serializers.ListSerializer) and self.parent.parent is None
        )
        if not outermost:
            return super().fields
        sets = _local.__dict__.setdefault("sets", {})
        key = (type(self), get_language())
        found = sets.get(key)
        if found is None:
            fields = BindingDict(self)
            for name, field in self.get_fields().items():
                fields[name] = field
            found = sets[key] = (fields, _row_plan(fields))
        else:
            fields = found[0]
            fields.serializer = self
            for field in fields.values():
                field.parent = self
        self._memo_plan = found[1]
        return found[0]

    def to_representation(self, instance):
        fields = self.fields
        plan = self.__dict__.get("_memo_plan")
        if plan is None:  # nested: DRF's fields, planned once per serializer
            plan = self._memo_plan = _row_plan(fields)
        if isinstance(instance, Mapping):
            plan = [(name, field, None) for name, field, _attribute_name in plan]
        row = {}
        for name, field, attribute in plan:
            try:
                value = _attribute(field, instance, attribute)
            except SkipField:
                continue
            check_for_none = value.pk if isinstance(value, PKOnlyObject) else value
            row[name] = None if check_for_none is None else field.to_representation(value)
        return row


# --- the columns a serializer writes --------------------------------------------------------


def _bound_fields(serializer) -> dict:
    """The serializer's fields, built and bound afresh (not the memoised set of MemoFieldsMixin)."""
    fields = serializer.get_fields()
    for name, field in fields.items():
        field.bind(name, serializer)
    return fields


def _column(model, parts: list[str], *, relation: bool = False) -> str | None:
    """`parts` as a lookup path ("municipality__slug") when they lead through foreign keys to
    a column of `model` (to a foreign key itself with `relation`); None otherwise (a property,
    a method, a many-to-many, a reverse relation)."""
    for index, part in enumerate(parts):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        is_key = bool(field.concrete and (field.many_to_one or field.one_to_one))
        if index < len(parts) - 1 or relation:
            if not is_key:
                return None
            model = field.related_model
        elif not field.concrete or field.many_to_many:
            return None
    return "__".join(parts)


def _columns(serializer, prefix: str) -> list[str]:
    model = serializer.Meta.model
    columns: list[str] = []
    for name, field in _bound_fields(serializer).items():
        if field.write_only:
            continue
        if isinstance(field, serializers.SerializerMethodField):
            # The method's own field when the model has one of its name; what else it reads is
            # declared in Meta.read_columns.
            column = _column(model, [name])
            columns += [prefix + column] if column else []
            continue
        if field.source == "*" or isinstance(field, serializers.ListSerializer):
            raise ImproperlyConfigured(
                f"{type(serializer).__name__}.{name} writes no column of its own: list what it reads "
                "in Meta.read_columns and leave it out of the serializer given to model_columns."
            )
        if isinstance(field, serializers.ModelSerializer):
            relation = _column(model, field.source_attrs, relation=True)
            if relation is None:
                raise ImproperlyConfigured(
                    f"{type(serializer).__name__}.{name} is nested under {field.source!r}, not a foreign key."
                )
            columns += _columns(field, f"{prefix}{relation}__")
            continue
        column = _column(model, field.source_attrs)
        if column is None:
            raise ImproperlyConfigured(
                f"{type(serializer).__name__}.{name} reads {field.source!r}, which is not a column: "
                "give it a source that is one, or list the columns it reads in Meta.read_columns."
            )
        columns.append(prefix + column)
    extra = getattr(serializer.Meta, "read_columns", ())
    return columns + [prefix + column for column in extra]


def model_columns(serializer_class) -> tuple[str, ...]:
    """The columns that a read-only ModelSerializer writes, as `QuerySet.only()` takes them:
    each field's source ("amount", "donor_organization__name" for a dotted source), the columns
    of a nested ModelSerializer under its foreign key ("municipality__slug"), and for a
    SerializerMethodField the model field of its name if there is one. What methods read
    beyond that is listed in the serializer's `Meta.read_columns` (e.g. a flag that hides a
    name). A field whose source is not a column raises ImproperlyConfigured: a column left out
    would cost a query per row."""
    columns = _columns(serializer_class(), "")
    return tuple(dict.fromkeys(columns))
