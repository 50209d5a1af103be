"""core.money's display: an amount as the page's language writes it (issue 11, issue 13 §2)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import format_money, format_number

AMOUNT = Decimal("1554050")

# Not a database test, but the suite's autouse fixtures need the test database.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sq", "1.554.050,00 €"), ("sr-latn", "1.554.050,00 €"), ("en", "€1,554,050.00")],
)
def test_the_three_languages(language, expected):
    assert format_money(AMOUNT, language=language) == expected
    with translation.override(language):
        assert format_money(AMOUNT) == expected  # the active language by default


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sq", "1.554.050,00"), ("sr-latn", "1.554.050,00"), ("en", "1,554,050.00")],
)
def test_without_the_sign(language, expected):
    assert format_number(AMOUNT, language=language) == expected
    assert format_money(AMOUNT, language=language, currency=False) == expected


def test_the_spellings_of_a_language_code():
    for code in ("sr_Latn", "sr-Latn", "SR-LATN", "sr"):
        assert format_money(AMOUNT, language=code) == "1.554.050,00 €"
    assert format_money(AMOUNT, language="en-gb") == "€1,554,050.00"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("sq", "-1.500,00 €"), ("sr-latn", "-1.500,00 €"), ("en", "-€1,500.00")],
)
def test_negatives(language, expected):
    assert format_money(Decimal("-1500"), language=language) == expected
    assert format_number(Decimal("-1500"), language=language) == expected.replace("€", "").strip()


@pytest.mark.parametrize("zero", [0, Decimal("0"), Decimal("-0"), Decimal("-0.004"), -0.0, "0.00", "-0.001"])
def test_zero_is_never_negative(zero):
    assert format_money(zero, language="sq") == "0,00 €"
    assert format_money(zero, language="en") == "€0.00"
    assert format_number(zero, language="sr-latn") == "0,00"


@pytest.mark.parametrize("empty", [None, "", "abc", Decimal("NaN"), Decimal("Infinity"), float("inf"), True])
def test_empty_and_not_a_number(empty):
    assert format_money(empty, language="sq") == ""
    assert format_number(empty, language="en") == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0.005"), "0,01 €"),
        (Decimal("2.675"), "2,68 €"),  # half up, not the float's 2.67
        (2.675, "2,68 €"),
        (Decimal("-2.675"), "-2,68 €"),
        (Decimal("1234.994"), "1.234,99 €"),
        (Decimal("999999.995"), "1.000.000,00 €"),
        (1000, "1.000,00 €"),
        ("1500.5", "1.500,50 €"),
        (" 12.345 ", "12,35 €"),
        (Decimal("0.1"), "0,10 €"),
        (Decimal("123"), "123,00 €"),
    ],
)
def test_rounding_and_inputs(value, expected):
    assert format_money(value, language="sq") == expected


@pytest.mark.parametrize(
    ("language", "money", "eur"),
    [
        ("sq", "1.554.050,00", "1.554.050,00 €"),
        ("sr-latn", "1.554.050,00", "1.554.050,00 €"),
        ("en", "1,554,050.00", "€1,554,050.00"),
    ],
)
def test_the_template_filters(language, money, eur):
    template = Template("{% load core_tags %}[{{ a|money }}] [{{ a|eur }}] [{{ none|eur }}]")
    with translation.override(language):
        assert template.render(Context({"a": AMOUNT, "none": None})) == f"[{money}] [{eur}] []"


@pytest.mark.parametrize(
    ("language", "attrs"),
    [
        ("sq", 'data-money-thousands="." data-money-decimal="," data-money-pattern="{} €"'),
        ("en", 'data-money-thousands="," data-money-decimal="." data-money-pattern="€{}"'),
    ],
)
def test_pages_tell_scripts_the_format(client, language, attrs):
    """portal.js's window.ceaMoney (charts, the budget editor) reads these from <body>."""
    html = client.get(f"/{language}/").content.decode()
    assert attrs in html
