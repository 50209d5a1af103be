"""The three amount cases of issue 11 ("1.500,00", "1.500", "1,500") through the giving
import, CSV and XLSX, in each amount format a person can choose (and none)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from giving.models import ImportBatch
from giving.services import imports
from tests.factories import StaffFactory
from tests.giving.test_imports import csv_bytes, errors_by_row, row, xlsx_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# (cell, amount format chosen for the file) → the amount, or the error's code word
CASES = [
    ("1.500,00", "sq", Decimal("1500.00")),
    ("1.500,00", "sr-latn", Decimal("1500.00")),
    ("1.500,00", "en", Decimal("1500.00")),
    ("1.500,00", None, Decimal("1500.00")),
    ("1.500", "sq", Decimal("1500.00")),
    ("1.500", "sr-latn", Decimal("1500.00")),
    ("1.500", "en", "more than two decimals"),
    ("1.500", None, "ambiguous"),
    ("1,500", "sq", "more than two decimals"),
    ("1,500", "en", Decimal("1500.00")),
    ("1,500", None, "ambiguous"),
]


def _validate(data: bytes, name: str, language):
    return imports.import_validate(
        actor=StaffFactory(), uploaded_file=SimpleUploadedFile(name, data), amount_language=language
    )


def _check(batch, cell, expected):
    if isinstance(expected, Decimal):
        assert batch.errors == []
        assert [Decimal(e["values"]["amount"]) for e in batch.payload] == [expected]
    else:
        assert batch.payload == []
        found = errors_by_row(batch)
        assert list(found) == [2] and list(found[2]) == ["amount"]  # the cell: row 2, column amount
        assert expected in found[2]["amount"] and f"“{cell}”" in found[2]["amount"]


@pytest.mark.parametrize(("cell", "language", "expected"), CASES)
def test_csv(cell, language, expected):
    batch = _validate(csv_bytes([row(amount=cell)], delimiter=";"), "gifts.csv", language)
    _check(batch, cell, expected)


@pytest.mark.parametrize(("cell", "language", "expected"), CASES)
def test_xlsx_text_cells(cell, language, expected):
    batch = _validate(xlsx_bytes([row(amount=cell)]), "gifts.xlsx", language)
    _check(batch, cell, expected)


@pytest.mark.parametrize("language", [None, "sq", "en"])
def test_xlsx_number_cells_are_never_ambiguous(language):
    batch = _validate(xlsx_bytes([row(amount=1500), row(amount=1.5, donor_name="Other")]), "g.xlsx", language)
    assert sorted(Decimal(e["values"]["amount"]) for e in batch.payload) == [
        Decimal("1.50"),
        Decimal("1500.00"),
    ]


@pytest.mark.parametrize(
    ("page", "chosen", "cell", "expected"),
    [
        ("sq", None, "1.500", Decimal("1500.00")),  # the default: the page's language
        ("en", None, "1,500", Decimal("1500.00")),
        ("en", "sq", "1.500", Decimal("1500.00")),  # chosen on the form
        ("sq", "en", "1,500", Decimal("1500.00")),
        ("sq", "en", "1.500", "më shumë se dy shifra dhjetore"),  # the page is Albanian: so is the message
        ("sq", None, "1.500,00", Decimal("1500.00")),
        ("en", None, "1.500,00", Decimal("1500.00")),
    ],
)
def test_upload_page_passes_the_amount_format(
    client, django_capture_on_commit_callbacks, page, chosen, cell, expected
):
    staff = StaffFactory()
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page
    data = {"file": SimpleUploadedFile("gifts.csv", csv_bytes([row(amount=cell)]))}
    if chosen:
        data["amount_format"] = chosen
    with django_capture_on_commit_callbacks(execute=True):
        with translation.override(page):  # the URL carries the language
            url = reverse("giving:import_upload")
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=page)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.VALIDATED
    _check(batch, cell, expected)


def test_upload_page_offers_the_choice_with_the_page_default(client):
    client.force_login(StaffFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("giving:import_upload"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="amount_format"' in html
    assert '<option value="en" selected>' in html and "1,500.00" in html and "1.500,00" in html


def test_review_page_names_the_ambiguous_cell(client, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    client.force_login(staff)
    batch = _validate(csv_bytes([row(), row(amount="1.500", donor_name="Other")]), "g.csv", None)
    batch.uploaded_by = staff
    batch.save()
    html = client.get(reverse("giving:import_review", kwargs={"pk": batch.pk}), HTTP_ACCEPT_LANGUAGE="en")
    body = html.content.decode()
    assert "“1.500” is ambiguous" in body and "amount" in body
