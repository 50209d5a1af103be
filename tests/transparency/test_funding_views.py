"""Pages of public funding: the public dashboard (languages, filters, downloads, query
counts) and the staff pages (import, reconciliation) for every role."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from core.models import Municipality
from organizations.models import Membership, Organization
from tests import factories
from tests.factories import member_of
from transparency.choices import FundingProcedure, FundingSource
from transparency.models import PublicFundingRecord
from transparency.services import funding

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kw):
    with translation.override(lang):
        return reverse(f"transparency:{name}", kwargs=kw or None)


def public_institution(name, slug):
    return factories.OrganizationFactory(
        name=name, slug=slug, kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number=""
    )


@pytest.fixture
def data():
    prishtine = Municipality.objects.get(slug="prishtine")
    ministry = public_institution("Ministria e Kulturës", "ministry")
    komuna = public_institution("Komuna e Gjakovës", "gjakove")
    cso = factories.OrganizationFactory(name="Zëri i të Rinjve", municipality=prishtine)
    other = factories.OrganizationFactory(name="Shoqata Đakovica")

    def rec(
        inst,
        recipient,
        amount,
        year,
        procedure=FundingProcedure.OPEN_CALL,
        source=FundingSource.DECLARED,
        name="",
    ):
        return PublicFundingRecord.objects.create(
            institution=inst,
            recipient=recipient,
            recipient_name=name or recipient.name,
            year=year,
            amount=Decimal(amount),
            procedure=procedure,
            source=source,
            programme=f"p{PublicFundingRecord.objects.count()}",
        )

    rec(ministry, cso, "6000", 2023)
    rec(ministry, cso, "4000", 2024, procedure=FundingProcedure.DIRECT_AWARD)
    rec(komuna, other, "1000", 2024)
    rec(komuna, None, "500", 2024, name="Grupi i panjohur")
    rec(komuna, other, "99999", 2024, source=FundingSource.MONITORING)
    return {
        "ministry": ministry,
        "komuna": komuna,
        "cso": cso,
        "other": other,
        "rec": rec,
        "prishtine": prishtine,
    }


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Public funding of CSOs"), ("sq", 'lang="sq"'), ("sr-latn", 'lang="sr-latn"')],
)
def test_dashboard_renders_in_three_languages(client, data, lang, title):
    response = client.get(url("funding_dashboard", lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert "Zëri i të Rinjve" in html and "Shoqata Đakovica" in html
    assert 'id="funding-chart-data"' in html
    assert "chartjs-4.6.1/chart.umd.min.js" in html and "transparency/js/funding_dashboard.js" in html
    assert "<script>" not in html  # no inline script (CSP): only json_script data


def test_dashboard_totals_and_default_source(client, data):
    response = client.get(url("funding_dashboard"))
    totals = response.context["totals"]
    assert totals["total"] == Decimal("11500")  # monitoring (99 999) is not counted by default
    assert totals["open_call"] == Decimal("7500")
    assert totals["open_call_share"] == Decimal("65.2")
    trend = response.context["tables"]["trend"]["rows"]
    assert [r[0] for r in trend] == [2023, 2024] and trend[1][1] == Decimal("5500")
    recipients = response.context["tables"]["recipients"]["rows"]
    assert recipients[0][0] == "Zëri i të Rinjve" and recipients[0][1] == Decimal("10000")
    municipalities = {r[0]: r[1] for r in response.context["tables"]["municipalities"]["rows"]}
    assert municipalities[data["prishtine"].name_en] >= Decimal("10000")
    chart = json.loads(response.context["chart_data"] and json.dumps(response.context["chart_data"]))
    assert chart["trend"]["labels"] == ["2023", "2024"]


def test_dashboard_filters(client, data):
    response = client.get(url("funding_dashboard"), {"year_from": "2024", "institution": "gjakove"})
    assert response.status_code == 200
    assert response.context["totals"]["total"] == Decimal("1500")
    response = client.get(url("funding_dashboard"), {"source": "all"})
    assert response.context["totals"]["total"] == Decimal("111499")
    response = client.get(url("funding_dashboard"), {"procedure": "direct_award"})
    assert response.context["totals"]["total"] == Decimal("4000")
    response = client.get(url("funding_dashboard"), {"municipality": data["prishtine"].slug})
    assert response.context["totals"]["total"] >= Decimal("10000")
    bad = client.get(url("funding_dashboard"), {"year_from": "2024", "year_to": "2023"})
    assert bad.status_code == 400
    assert client.get(url("funding_dashboard"), {"institution": "nope"}).status_code == 400


@pytest.mark.parametrize("section", ["trend", "institutions", "recipients", "municipalities"])
def test_downloads_equal_what_is_shown(client, data, section):
    params = {"year_from": "2023"}
    page = client.get(url("funding_dashboard"), params)
    shown = page.context["tables"][section]
    as_text = [[str(c) for c in r] for r in shown["rows"]]

    response = client.get(url("funding_dashboard"), {**params, "download": section, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [str(c) for c in shown["columns"]]
    assert lines[1:] == as_text

    response = client.get(url("funding_dashboard"), {**params, "download": section, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(values) == len(as_text)
    assert [r[0] for r in values] == [r[0] for r in as_text]


def test_unknown_download_is_400(client, data):
    assert client.get(url("funding_dashboard"), {"download": "secrets"}).status_code == 400
    assert client.get(url("funding_dashboard"), {"download": "trend", "format": "pdf"}).status_code == 400


def test_dashboard_query_count_does_not_grow(client, data, django_assert_max_num_queries):
    def seed(n):
        for i in range(n):
            org = factories.OrganizationFactory()
            data["rec"](data["ministry"], org, str(100 + i), 2020 + i % 5)

    seed(5)
    with django_assert_max_num_queries(20) as small:
        assert client.get(url("funding_dashboard")).status_code == 200
    seed(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url("funding_dashboard")).status_code == 200


# --- Staff pages × roles ----------------------------------------------------------------------

STAFF_PAGES = ["funding_import", "funding_reconciliation", "funding_import_template"]


@pytest.fixture
def roles(db):
    org = factories.OrganizationFactory()
    return {
        "anonymous": None,
        "citizen": factories.UserFactory(),
        "cso_editor": member_of(org, Membership.Role.EDITOR),
        "staff": factories.StaffFactory(),
    }


@pytest.mark.parametrize("page", STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("citizen", 403), ("cso_editor", 403), ("staff", 200)]
)
def test_staff_pages_by_role(client, data, roles, page, role, expected):
    if roles[role] is not None:
        client.force_login(roles[role])
    response = client.get(url(page))
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["anonymous", "citizen", "cso_editor", "staff"])
def test_dashboard_is_public_for_every_role(client, data, roles, role):
    if roles[role] is not None:
        client.force_login(roles[role])
    response = client.get(url("funding_dashboard"))
    assert response.status_code == 200
    has_staff_links = url("funding_reconciliation") in response.content.decode()
    assert has_staff_links is (role == "staff")


@pytest.mark.parametrize("role", ["citizen", "cso_editor"])
def test_non_staff_cannot_post_an_import(client, data, roles, role):
    client.force_login(roles[role])
    upload = SimpleUploadedFile("f.csv", b"x", content_type="text/csv")
    assert client.post(url("funding_import"), {"file": upload, "action": "import"}).status_code == 403
    assert PublicFundingRecord.objects.count() == 5


def _csv_upload(lines):
    header = ",".join(funding.IMPORT_COLUMNS)
    return SimpleUploadedFile("f.csv", ("\n".join([header, *lines]) + "\n").encode(), content_type="text/csv")


def test_import_page_check_then_import(client, data, roles):
    client.force_login(roles["staff"])
    good = f"ministry,{data['other'].registration_number},,2022,250,Arts,open_call,yes,yes,no,declared,"
    response = client.post(url("funding_import"), {"file": _csv_upload([good]), "action": "check"})
    assert response.status_code == 200 and response.context["result"].to_create == 1
    assert PublicFundingRecord.objects.count() == 5
    response = client.post(url("funding_import"), {"file": _csv_upload([good]), "action": "import"})
    assert response.status_code == 200 and response.context["result"].created == 1
    assert PublicFundingRecord.objects.count() == 6


def test_import_page_shows_row_errors_and_file_errors(client, data, roles):
    client.force_login(roles["staff"])
    good = "ministry,,Someone,2022,250,,open_call,,,,,"
    bad = "ministry,,Someone,2022,-1,,open_call,,,,,"
    response = client.post(url("funding_import"), {"file": _csv_upload([good, bad]), "action": "import"})
    assert response.status_code == 400
    assert 'id="import-errors"' in response.content.decode()
    assert PublicFundingRecord.objects.count() == 5
    wrong = SimpleUploadedFile("f.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url("funding_import"), {"file": wrong, "action": "import"})
    assert response.status_code == 400
    assert "CSV or XLSX" in response.content.decode()


def test_reconciliation_page_and_csv(client, data, roles, django_assert_max_num_queries):
    client.force_login(roles["staff"])
    response = client.get(url("funding_reconciliation"))
    assert response.status_code == 200
    names = [r.name for r in response.context["rows"]]
    assert names and "Grupi i panjohur" in names  # defaults to the latest year (2024)
    response = client.get(url("funding_reconciliation"), {"year": "2024", "flag": "unmatched"})
    assert [r.name for r in response.context["rows"]] == ["Grupi i panjohur"]
    response = client.get(url("funding_reconciliation"), {"year": "2024", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(lines) == 1 + len(names)
    assert client.get(url("funding_reconciliation"), {"year": "1999"}).status_code == 400

    for _i in range(10):
        data["rec"](data["ministry"], factories.OrganizationFactory(), "10", 2024)
    with django_assert_max_num_queries(15) as small:
        client.get(url("funding_reconciliation"), {"year": "2024"})
    for _i in range(20):
        data["rec"](data["ministry"], factories.OrganizationFactory(), "10", 2024)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("funding_reconciliation"), {"year": "2024"})
