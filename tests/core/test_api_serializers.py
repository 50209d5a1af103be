"""core.api.serializers.MemoFieldsMixin: fields built once per class, language and thread, rows
written exactly as DRF writes them, and nothing of one request in another's answer."""

import threading

import pytest
from rest_framework import serializers

from core.api.serializers import MemoFieldsMixin, forget_fields
from core.models import Municipality
from organizations.models import Organization

pytestmark = pytest.mark.django_db


class PlainMunicipality(serializers.ModelSerializer):
    who = serializers.SerializerMethodField()
    kind = serializers.CharField(source="__class__.__name__", read_only=True)  # a dotted source
    missing = serializers.CharField(source="no_such_attribute", read_only=True, required=False)

    class Meta:
        model = Municipality
        fields = ["id", "slug", "name_sq", "name_sr", "name_en", "who", "kind", "missing"]
        read_only_fields = fields

    def get_who(self, obj) -> str:
        slug = obj["slug"] if isinstance(obj, dict) else obj.slug
        return f"{self.context['who']}:{slug}"


class MemoMunicipality(MemoFieldsMixin, PlainMunicipality):
    pass


def rows():
    return list(Municipality.objects.order_by("pk")[:5])


def test_rows_are_written_as_drf_writes_them():
    forget_fields()
    expected = PlainMunicipality(rows(), many=True, context={"who": "a"}).data
    for _ in range(2):  # built, then from the memo
        assert MemoMunicipality(rows(), many=True, context={"who": "a"}).data == expected
    one = rows()[0]
    assert (
        MemoMunicipality(one, context={"who": "a"}).data == PlainMunicipality(one, context={"who": "a"}).data
    )
    assert MemoMunicipality({"slug": "x", "id": 1}, context={"who": "a"}).data["who"] == "a:x"  # a mapping


def test_fields_are_built_once_and_each_serializer_sees_its_own_context(monkeypatch):
    forget_fields()
    built = []
    original = PlainMunicipality.get_fields
    monkeypatch.setattr(PlainMunicipality, "get_fields", lambda self: built.append(1) or original(self))
    for who in ("a", "b", "c"):
        data = MemoMunicipality(rows(), many=True, context={"who": who}).data
        assert {row["who"].split(":")[0] for row in data} == {who}
    assert len(built) == 1  # no field set built (deep-copied) per request


def test_each_language_and_thread_has_its_own_set():
    from django.utils import translation

    forget_fields()
    with translation.override("en"):
        english = MemoMunicipality(context={"who": "a"}).fields
    with translation.override("sq"):
        albanian = MemoMunicipality(context={"who": "a"}).fields
    assert english is not albanian
    other = []
    thread = threading.Thread(target=lambda: other.append(MemoMunicipality(context={"who": "t"}).fields))
    with translation.override("en"):
        thread.start()
        thread.join()
        assert other[0] is not MemoMunicipality(context={"who": "a"}).fields


def test_the_organisations_api_builds_each_address_for_its_own_request(client):
    from tests.factories import OrganizationFactory

    OrganizationFactory(verification_status="verified")
    forget_fields()
    plain = client.get("/api/v1/organizations/").json()["results"][0]["url"]
    secure = client.get("/api/v1/organizations/", secure=True).json()["results"][0]["url"]
    assert plain.startswith("http://testserver/") and secure.startswith("https://testserver/")
    assert client.get("/api/v1/organizations/").json()["results"][0]["url"] == plain


# --- model_columns: what a read-only serializer writes, for QuerySet.only() -------------------


class _Place(MemoFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["slug", "name_en"]


class _OrganizationRow(serializers.ModelSerializer):
    municipality = _Place(read_only=True)
    municipality_slug = serializers.CharField(source="municipality.slug", read_only=True)
    title = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "title", "municipality", "municipality_slug"]
        read_columns = ("kind",)

    def get_title(self, obj) -> str:
        return f"{obj.name} ({obj.kind})"

    def get_name(self, obj) -> str:
        return obj.name


def test_model_columns_follow_the_serializer():
    from core.api.serializers import model_columns

    assert model_columns(_OrganizationRow) == (
        "id",
        "slug",
        "name",  # a method field of a column's name reads that column
        "municipality__slug",  # a nested serializer's columns under its foreign key (and a dotted source)
        "municipality__name_en",
        "kind",  # Meta.read_columns: what the methods read beyond that
    )


def test_a_field_that_reads_no_column_must_be_declared():
    from django.core.exceptions import ImproperlyConfigured

    from core.api.serializers import model_columns

    class WithProperty(serializers.ModelSerializer):
        url = serializers.CharField(source="get_absolute_url", read_only=True)

        class Meta:
            model = Organization
            fields = ["slug", "url"]

    with pytest.raises(ImproperlyConfigured, match="get_absolute_url"):
        model_columns(WithProperty)
