"""The `money` filter writes exactly what `floatformat:"2g"` writes, in every language."""

import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation

from core.templatetags.core_tags import money

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
    Decimal("NaN"),
    Decimal("Infinity"),
    float("inf"),
    12.345,
    1000,
    "12.5",
    True,
]


def values():
    rng = random.Random(2026)
    return ODD_VALUES + [
        Decimal(rng.randrange(-(10**10), 10**10)) / Decimal(10 ** rng.randrange(0, 4)) for _ in range(3000)
    ]


@pytest.mark.parametrize("language", ["sq", "sr-latn", "en"])
def test_same_text_as_floatformat(language):
    with translation.override(language):
        different = [
            (v, floatformat(v, "2g"), money(v)) for v in values() if floatformat(v, "2g") != money(v)
        ]
    assert different == []


def test_the_separators_of_each_language():
    amount = Decimal("1234567.5")
    expected = {"en": "1,234,567.50", "sr-latn": "1.234.567,50", "sq": "1234567,50"}
    for language, text in expected.items():
        with translation.override(language):
            assert (
                Template("{% load core_tags %}{{ amount|money }}").render(Context({"amount": amount})) == text
            )


def test_follows_a_change_of_format_settings():
    with translation.override("en"):
        assert money(Decimal("1234.5")) == "1,234.50"
        with override_settings(NUMBER_GROUPING=0, USE_THOUSAND_SEPARATOR=False):
            assert money(Decimal("1234.5")) == floatformat(Decimal("1234.5"), "2g")
