"""The published schema says what the API checks and what it answers (issue 12, items 20,
21, 23): clients generated from it accept real data and send what the API accepts."""

import re

import pytest

from core.api.schema import NO_CONTROL_CHARACTERS
from core.reference_data import MUNICIPALITIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _resolve(schema, node):
    while "$ref" in node or ("allOf" in node and len(node["allOf"]) == 1):
        ref = node["$ref"] if "$ref" in node else node["allOf"][0]["$ref"]
        node = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return node


def _enum(schema, node):
    values = []
    for option in node.get("oneOf", [node]):
        values += _resolve(schema, option).get("enum", [])
    return values


def test_the_giving_write_constraints_are_published(schema):
    components = schema["components"]["schemas"]
    write = components["GivingRecordWriteRequest"]["properties"]
    amount = re.compile(write["amount"]["pattern"])
    assert amount.match("750.00") and amount.match("12")
    assert not any(amount.match(v) for v in ("", ".", "-5", "1.234", "1" * 13))
    assert _enum(schema, write["municipality"]) == [slug for slug, *_names in MUNICIPALITIES]
    assert {"CH", "DE", ""} <= set(_enum(schema, write["donor_country"])) and "ZZ" not in _enum(
        schema, write["donor_country"]
    )
    assert write["recipient_organization"]["pattern"] == r"^[-a-zA-Z0-9_]+$"
    assert write["donor_name"]["maxLength"] == 200
    assert write["donor_name"]["pattern"] == NO_CONTROL_CHARACTERS
    assert set(_enum(schema, write["cause"])) >= {"health", "education"}
    for bulk in ("GivingRecordBulkRequest", "PublicFundingBulkRequest"):
        records = components[bulk]["properties"]["records"]
        assert records["minItems"] == 1 and records["maxItems"] == 500


def test_free_strings_sent_by_clients_refuse_control_characters(schema):
    pattern = re.compile(NO_CONTROL_CHARACTERS)
    assert pattern.match("Shoqata\tZëri\r\nPrishtinë") and not pattern.match("a\x00b")
    search = [
        p
        for p in schema["paths"]["/api/v1/organizations/"]["get"]["parameters"]
        if p["schema"].get("type") == "string" and "enum" not in p["schema"]
    ]
    assert search and all(p["schema"]["pattern"] == NO_CONTROL_CHARACTERS for p in search)


def test_blank_and_null_values_of_real_records_are_in_the_schema(schema):
    components = schema["components"]["schemas"]
    record = components["GivingRecord"]["properties"]
    assert "" in _enum(schema, record["diaspora_channel"]) and "" in _enum(schema, record["effect"])
    for name in ("donor_organization", "recipient_organization", "municipality"):
        assert record[name]["nullable"] is True
    assert components["GivingAggregateRow"]["properties"]["municipality"]["nullable"] is True


def test_the_page_size_cap_is_documented_and_applied(schema, client):
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "page_size":
                assert re.search(r"\b(200|500)\b", parameter["description"]), path
    from tests import factories

    for n in range(3):
        factories.OrganizationFactory(slug=f"org-{n}")
    from core.api.pagination import PageNumberPagination

    body = client.get("/api/v1/organizations/", {"page_size": 1000}).json()
    assert len(body["results"]) == 3 and PageNumberPagination.max_page_size == 200


def test_an_empty_filter_gives_one_message(client):
    response = client.get("/api/v1/giving/records/", {"cause": ""})
    assert response.status_code == 400
    assert response.json() == {"cause": ["Leave this parameter out, or give it a value."]}
