"""Downloads of awarded grants: CSV/XLSX of the filtered list and the 360Giving files."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import exports
from grants import open_data
from grants.choices import ApplicantType
from tests.grants.factories import CallFactory, verified_cso
from tests.grants.test_open_data_support import PERSON_NAME, awarded_grant

pytestmark = pytest.mark.django_db


def _url(name, lang="en", query=""):
    with translation.override(lang):
        return reverse(name) + (f"?{query}" if query else "")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def grants():
    call = CallFactory(slug="youth-2026", code="YOUTH-26", title_en="Youth initiatives 2026")
    org = verified_cso(name="Qendra Rinore Pejë", registration_number="5123456")
    return {
        "org": awarded_grant(call=call, organization=org, amount=Decimal("4000.00"), municipality="peje"),
        "group": awarded_grant(
            call=call,
            applicant_type=ApplicantType.GROUP,
            group_name="Miqtë e lumit",
            amount=Decimal("2500.50"),
            municipality="prizren",
        ),
        "individual": awarded_grant(
            call=CallFactory(slug="other", code=""),
            applicant_type=ApplicantType.INDIVIDUAL,
            amount=Decimal("1200.00"),
            municipality="gjilan",
            title="Reading corner",
            summary=f"I am {PERSON_NAME}.",
        ),
    }


def _csv_rows(response) -> list[list[str]]:
    text = _body(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_the_filtered_list(client, grants, english):
    response = client.get(_url("grants:awarded_list", query="format=csv&call=youth-2026"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0] == [str(c) for c in open_data.TABLE_COLUMNS]
    assert len(rows) == 3  # the filter applies: the individual's grant is in another call
    by_id = {row[0]: row for row in rows[1:]}
    org_row = by_id[grants["org"].identifier]
    assert org_row[1] == "Qendra Rinore Pejë"
    assert org_row[4] == "4000.00"
    assert by_id[grants["group"].identifier][1] == "Miqtë e lumit"


def test_csv_and_xlsx_never_name_an_individual(client, grants, english):
    csv_response = client.get(_url("grants:awarded_list", query="format=csv"))
    rows = _csv_rows(csv_response)
    individual = next(row for row in rows if row[0] == grants["individual"].identifier)
    assert individual[1] == "Individual (withheld for privacy)"
    assert individual[10] == ""  # the summary the person wrote is withheld
    assert PERSON_NAME not in _body(csv_response).decode("utf-8-sig")

    xlsx = client.get(_url("grants:awarded_list", query="format=xlsx"))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    workbook = openpyxl.load_workbook(io.BytesIO(_body(xlsx)))
    sheet = workbook.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == [str(c) for c in open_data.TABLE_COLUMNS]
    assert len(values) == 4
    amounts = sorted(row[4] for row in values[1:])
    assert amounts == [1200, 2500.5, 4000]  # numbers, not text
    assert all(isinstance(a, int | float) for a in amounts)
    assert not any(PERSON_NAME in str(cell) for row in values for cell in row)


def test_360_json(client, grants, english):
    response = client.get(_url("grants:awarded_360_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = _body(response).decode()
    assert PERSON_NAME not in body
    data = json.loads(body)
    assert set(data) == {"grants"}
    by_id = {g["id"]: g for g in data["grants"]}
    assert set(by_id) == {g.identifier for g in grants.values()}
    org = by_id[grants["org"].identifier]
    assert org["id"] == f"{settings.GRANTS_360_PREFIX}-{grants['org'].application.reference}"
    for key in (
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "plannedDates",
        "recipientOrganization",
        "fundingOrganization",
        "beneficiaryLocation",
        "grantProgramme",
        "dataSource",
        "dateModified",
    ):
        assert key in org, key
    assert org["currency"] == "EUR"
    assert org["amountAwarded"] == 4000 and isinstance(org["amountAwarded"], int | float)
    assert by_id[grants["group"].identifier]["amountAwarded"] == 2500.5
    assert org["awardDate"] == "2026-02-10"
    assert org["plannedDates"] == [{"startDate": "2026-03-01", "endDate": "2026-12-31"}]
    assert org["recipientOrganization"] == [{"id": "XK-ARBK-5123456", "name": "Qendra Rinore Pejë"}]
    assert org["fundingOrganization"] == [
        {"id": settings.GRANTS_FUNDER_ID, "name": settings.GRANTS_FUNDER_NAME}
    ]
    assert org["beneficiaryLocation"][0]["countryCode"] == "XK"
    assert org["beneficiaryLocation"][0]["name"] in ("Peja", "Pejë", "Peć")
    assert org["grantProgramme"] == [{"code": "YOUTH-26", "title": "Youth initiatives 2026"}]
    assert org["dataSource"].endswith(_url("grants:awarded_360_json"))

    group = by_id[grants["group"].identifier]
    assert group["recipientOrganization"][0]["name"] == "Miqtë e lumit"
    assert group["recipientOrganization"][0]["id"].startswith(settings.GRANTS_360_PREFIX)

    individual = by_id[grants["individual"].identifier]
    assert "recipientOrganization" not in individual
    assert individual["recipientIndividual"]["name"] == "Individual recipient (withheld)"
    assert individual["recipientIndividual"]["id"].startswith(f"{settings.GRANTS_360_PREFIX}-IND-")
    assert individual["description"] == "Reading corner"
    assert individual["grantProgramme"][0]["code"] == "other"  # no code: the slug


def test_360_json_empty_and_filtered(client, grants):
    data = json.loads(_body(client.get(_url("grants:awarded_360_json", query="municipality=peje"))))
    assert [g["id"] for g in data["grants"]] == [grants["org"].identifier]
    data = json.loads(_body(client.get(_url("grants:awarded_360_json", query="municipality=junik"))))
    assert data == {"grants": []}
    assert client.get(_url("grants:awarded_360_json", query="year=abc")).status_code == 400


def test_360_csv(client, grants, english):
    response = client.get(_url("grants:awarded_360_csv"))
    assert response.status_code == 200
    rows = _csv_rows(response)
    header = rows[0]
    for column in (
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Beneficiary Location:Name",
        "Beneficiary Location:Country Code",
        "Grant Programme:Code",
        "Grant Programme:Title",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Last modified",
        "Data Source",
    ):
        assert column in header, column
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(records) == 3
    org = next(r for r in records if r["Identifier"] == grants["org"].identifier)
    assert org["Amount Awarded"] == "4000.00"
    assert org["Currency"] == "EUR"
    assert org["Recipient Org:Identifier"] == "XK-ARBK-5123456"
    assert org["Award Date"] == "2026-02-10"
    individual = next(r for r in records if r["Identifier"] == grants["individual"].identifier)
    assert individual["Recipient Org:Name"] == ""
    assert individual["Recipient Ind:Name"] == "Individual recipient (withheld)"
    assert PERSON_NAME not in _body(client.get(_url("grants:awarded_360_csv"))).decode("utf-8-sig")


def test_organisation_without_registration_number_gets_a_portal_identifier(client, english):
    org = verified_cso(kind="informal", registration_number="")
    grant = awarded_grant(organization=org)
    data = json.loads(_body(client.get(_url("grants:awarded_360_json"))))
    recipient = data["grants"][0]["recipientOrganization"][0]
    assert recipient == {"id": f"{settings.GRANTS_360_PREFIX}-ORG-{org.pk}", "name": org.name}
    assert data["grants"][0]["id"] == grant.identifier


def _download_queries(client, name, query="") -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url(name, query=query))
        _body(response)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("grants:awarded_list", "format=csv"),
        ("grants:awarded_list", "format=xlsx"),
        ("grants:awarded_360_json", ""),
        ("grants:awarded_360_csv", ""),
    ],
)
def test_download_queries_do_not_grow_with_rows(client, name, query):
    for _ in range(3):
        awarded_grant(call=CallFactory())
    few = _download_queries(client, name, query)
    for _ in range(9):
        awarded_grant(call=CallFactory(), applicant_type=ApplicantType.GROUP)
    assert _download_queries(client, name, query) == few


@pytest.mark.parametrize("lang", ["sq", "sr-latn", "en"])
def test_downloads_in_each_language(client, grants, lang):
    for name, query in (
        ("grants:awarded_list", "format=csv"),
        ("grants:awarded_list", "format=xlsx"),
        ("grants:awarded_360_json", ""),
        ("grants:awarded_360_csv", ""),
    ):
        response = client.get(_url(name, lang, query))
        assert response.status_code == 200, (name, lang)
        assert len(_body(response)) > 100
