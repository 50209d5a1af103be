"""The `money` filter is core.money's `format_number` in the active language: where Django's
own format groups the thousands (en, sr-Latn) it writes exactly what `floatformat:"2g"` writes;
Albanian groups them too ("1.554.050,00", issue 11), where Django's format for sq does not."""

import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from core.money import format_number
from core.templatetags.core_tags import eur, money

ODD_VALUES = [
    None,
    "",
    "abc",
    0,
    Decimal("0"),
    Decimal("-0.001"),
    Decimal("0.005"),
    Decimal("1234567.005"),
    Decimal("-1234.5"),
    Decimal("1E+30"),
    12.345,
    1000,
    "12.5",
]

# Not a database test, but the suite's autouse fixtures need the test database.
pytestmark = pytest.mark.django_db


def values():
    rng = random.Random(2026)
    return ODD_VALUES + [
        Decimal(rng.randrange(-(10**10), 10**10)) / Decimal(10 ** rng.randrange(0, 4)) for _ in range(3000)
    ]


@pytest.mark.parametrize("language", ["sr-latn", "en"])
def test_same_text_as_floatformat(language):
    with translation.override(language):
        different = [
            (v, floatformat(v, "2g"), money(v)) for v in values() if floatformat(v, "2g") != money(v)
        ]
    assert different == []


def test_albanian_writes_as_serbian_latin():
    for value in values():
        assert format_number(value, language="sq") == format_number(value, language="sr-latn")
        with translation.override("sq"):
            assert money(value) == format_number(value, language="sr-latn")


def test_the_separators_of_each_language():
    amount = Decimal("1234567.5")
    expected = {"en": "1,234,567.50", "sr-latn": "1.234.567,50", "sq": "1.234.567,50"}
    for language, text in expected.items():
        with translation.override(language):
            assert (
                Template("{% load core_tags %}{{ amount|money }}").render(Context({"amount": amount})) == text
            )


@pytest.mark.parametrize("value", [None, "", "abc", Decimal("NaN"), Decimal("Infinity"), float("inf"), True])
def test_nothing_for_what_is_not_an_amount(value):
    with translation.override("en"):
        assert money(value) == ""
        assert eur(value) == ""
