"""The three amount cases of issue 11 ("1.500,00", "1.500", "1,500") through the public
funding import (CSV, and XLSX text cells), in each amount format and none. The old reader
took "1.500,00" for 1.50 EUR."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.transparency.test_funding import (
    csv_file,
    parties,  # noqa: F401 (a fixture, used by every test)
    row,
    xlsx_file,
)
from transparency.models import PublicFundingRecord
from transparency.services import funding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "parties")]

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


def _check(result, cell, expected):
    if isinstance(expected, Decimal):
        assert result.ok, result.errors
        assert PublicFundingRecord.objects.get().amount == expected
    else:
        assert not result.ok and not PublicFundingRecord.objects.exists()
        assert [e.line for e in result.errors] == [2]
        (message,) = result.errors[0].messages
        assert message.startswith("amount: ") and f"“{cell}”" in message and expected in message


@pytest.mark.parametrize(("cell", "language", "expected"), CASES)
def test_csv(staff_user, cell, language, expected):
    upload = csv_file([row(amount=cell)])
    result = funding.funding_import(
        actor=staff_user, uploaded_file=upload, dry_run=False, amount_language=language
    )
    _check(result, cell, expected)


@pytest.mark.parametrize(("cell", "language", "expected"), CASES)
def test_xlsx_text_cells(staff_user, cell, language, expected):
    upload = xlsx_file([row(amount=cell)])
    result = funding.funding_import(
        actor=staff_user, uploaded_file=upload, dry_run=False, amount_language=language
    )
    _check(result, cell, expected)


def _post(client, page, cell, chosen=None):
    data = {"file": csv_file([row(amount=cell)]), "action": "import"}
    if chosen:
        data["amount_format"] = chosen
    with translation.override(page):
        url = reverse("transparency:funding_import")
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE=page)


@pytest.mark.parametrize(
    ("page", "chosen", "cell", "expected"),
    [
        ("sq", None, "1.500", Decimal("1500.00")),  # the default: the page's language
        ("sr-latn", None, "1.500", Decimal("1500.00")),
        ("en", None, "1,500", Decimal("1500.00")),
        ("en", "sq", "1.500", Decimal("1500.00")),
        ("sq", "en", "1,500", Decimal("1500.00")),
        ("sq", None, "1.500,00", Decimal("1500.00")),
        ("en", None, "1.500,00", Decimal("1500.00")),
    ],
)
def test_import_page_reads_amounts_in_the_chosen_format(client, staff_user, page, chosen, cell, expected):
    client.force_login(staff_user)
    response = _post(client, page, cell, chosen)
    assert response.status_code == 200
    assert PublicFundingRecord.objects.get().amount == expected


def test_import_page_names_the_refused_cell(client, staff_user):
    client.force_login(staff_user)
    response = _post(client, "en", "1.500")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="amount_format"' in body and 'id="import-errors"' in body
    assert "amount: “1.500” has more than two decimals" in body
    assert not PublicFundingRecord.objects.exists()
