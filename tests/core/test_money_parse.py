"""core.money's parsing half: `parse_amount` (every way people write an amount, the
ambiguous ones by language or refused) and `MoneyField` (forms accept what the page shows)."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from core.money import AmountError, AmountFormatField, MoneyField, amount_for_input, parse_amount


@pytest.fixture(autouse=True)
def _english():
    """The messages below are asserted in English (the default language is Albanian)."""
    with translation.override("en"):
        yield


LANGUAGES = [None, "sq", "sr-latn", "en"]

# Read the same whatever the language.
UNAMBIGUOUS = [
    ("1500", "1500.00"),
    ("1500.50", "1500.50"),
    ("1500,50", "1500.50"),
    ("1.500,50", "1500.50"),
    ("1,500.50", "1500.50"),
    ("1 500,50", "1500.50"),
    ("1\u00a0500,50", "1500.50"),  # no-break space
    ("1\u202f500,50", "1500.50"),  # narrow no-break space
    ("1'500.50", "1500.50"),
    ("1.500,00", "1500.00"),
    ("1,500.00", "1500.00"),
    ("EUR 1500", "1500.00"),
    ("1500 EUR", "1500.00"),
    ("€1500,5", "1500.50"),
    ("1.500.000", "1500000.00"),
    ("1,500,000", "1500000.00"),
    ("1.500.000,25", "1500000.25"),
    ("1,5", "1.50"),
    ("0.5", "0.50"),
    ("  42  ", "42.00"),
    (1500, "1500.00"),
    (Decimal("1500.5"), "1500.50"),
    (1500.1, "1500.10"),  # an XLSX float, read via its repr: no binary noise
    (1500.0, "1500.00"),
    (150.00000000000003, "150.00"),  # a spreadsheet formula's noise
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("value", "expected"), UNAMBIGUOUS)
def test_unambiguous_amounts_read_the_same_in_every_language(value, expected, language):
    assert parse_amount(value, language=language) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        ("1.500", "sq", "1500.00"),
        ("1.500", "sr-latn", "1500.00"),
        ("1.500", "sr_Latn", "1500.00"),
        ("€ 1.500", "sq", "1500.00"),
        ("1.500 €", "sr-latn", "1500.00"),
        ("1,500", "en", "1500.00"),
        ("1,500", "en-gb", "1500.00"),
    ],
)
def test_ambiguous_amounts_follow_the_language(value, language, expected):
    assert parse_amount(value, language=language) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("1,500", "sq"),  # the decimal comma: three decimals
        ("1,500", "sr-latn"),
        ("1.500", "en"),  # the decimal point: three decimals
        ("€ 1.500", "en"),
    ],
)
def test_the_other_reading_has_three_decimals_and_is_refused(value, language):
    with pytest.raises(AmountError) as excinfo:
        parse_amount(value, language=language)
    assert excinfo.value.code == "decimals"
    assert "more than two decimals" in excinfo.value.messages[0]


@pytest.mark.parametrize("value", ["1.500", "1,500", "€ 1.500", "1.500 €", "12.345"])
@pytest.mark.parametrize("language", [None, "de", ""])
def test_ambiguous_without_a_known_language_is_refused_never_read_as_cents(value, language):
    with translation.override("en"):
        with pytest.raises(AmountError) as excinfo:
            parse_amount(value, language=language)
    message = excinfo.value.messages[0]
    assert excinfo.value.code == "ambiguous"
    assert "ambiguous" in message and value in message
    assert "e.g." in message  # says how to write it


def test_the_ambiguous_message_gives_both_readings():
    with translation.override("en"), pytest.raises(AmountError) as excinfo:
        parse_amount("1.500")
    assert excinfo.value.messages == [
        "“1.500” is ambiguous: it may mean 1500 or 1.5. Write it without a thousands separator and "
        "with the cents, e.g. 1500.00, or choose how the amounts are written."
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("abc", "invalid"),
        ("12abc", "invalid"),
        ("1.5.0,0.0", "invalid"),
        ("1,50.000", "invalid"),  # groups of three only
        ("15 00", "invalid"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        (True, "invalid"),
        (float("nan"), "invalid"),
        ("1500.505", "decimals"),
        ("1.5000", "decimals"),
        ("0.500", "decimals"),  # "0.500" is never five hundred
        (Decimal("1.001"), "decimals"),
        (0.001, "decimals"),
        ("-5", "negative"),
        ("-1.500,00", "negative"),
        (-3, "negative"),
        ("1000000000000", "too_large"),
        ("1.000.000.000.000,00", "too_large"),
        (10**40, "too_large"),
        (Decimal("1e40"), "too_large"),
    ],
)
def test_refusals(value, code, language):
    with pytest.raises(AmountError) as excinfo:
        parse_amount(value, language=language)
    assert excinfo.value.code == code


def test_the_largest_amount_fits_fourteen_digits():
    assert parse_amount("999.999.999.999,99", language="sq") == Decimal("999999999999.99")
    assert parse_amount("100", maximum=Decimal("100.01")) == Decimal("100.00")
    with pytest.raises(AmountError, match="too large"):
        parse_amount("100", maximum=Decimal("100"))


def test_negative_and_zero_on_request():
    assert parse_amount("-1.500,50", language="sq", allow_negative=True) == Decimal("-1500.50")
    assert parse_amount("0") == Decimal("0.00")
    with translation.override("en"), pytest.raises(AmountError, match="must be positive"):
        parse_amount("0", allow_zero=False)


def test_the_field_is_named_in_the_message():
    with translation.override("en"), pytest.raises(AmountError) as excinfo:
        parse_amount("abc", field="amount")
    assert excinfo.value.messages[0].startswith("amount: “abc” is not an amount")


def test_messages_are_translated():
    with translation.override("sq"), pytest.raises(AmountError) as excinfo:
        parse_amount("")
    assert excinfo.value.messages[0]  # a message in any case; its words come from the catalogue


def test_amount_error_is_a_validation_error():
    from django.core.exceptions import ValidationError

    assert issubclass(AmountError, ValidationError)


# --- MoneyField ------------------------------------------------------------------------------


class PriceForm(forms.Form):
    amount = MoneyField(label="Amount", min_value=Decimal("0"), required=False)


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("sq", "1.500,00", "1500.00"),
        ("sq", "1.500", "1500.00"),
        ("sr-latn", "1.500,00", "1500.00"),
        ("sr-latn", "1.500", "1500.00"),
        ("en", "1.500,00", "1500.00"),
        ("en", "1,500", "1500.00"),
        ("en", "1,500.00", "1500.00"),
        ("sq", "1500.5", "1500.50"),
    ],
)
def test_money_field_reads_the_page_format(language, typed, expected):
    with translation.override(language):
        form = PriceForm({"amount": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(expected)


@pytest.mark.parametrize(("language", "typed"), [("sq", "1,500"), ("sr-latn", "1,500"), ("en", "1.500")])
def test_money_field_refuses_the_other_reading(language, typed):
    with translation.override(language):
        form = PriceForm({"amount": typed})
        assert not form.is_valid()
        assert "more than two decimals" in form.errors["amount"][0] or form.errors["amount"][0]
    assert "amount" in form.errors


def test_money_field_keeps_min_max_and_digits():
    class Bounded(forms.Form):
        amount = MoneyField(min_value=Decimal("10"), max_value=Decimal("100"))

    with translation.override("en"):
        assert not Bounded({"amount": "5"}).is_valid()
        assert not Bounded({"amount": "1,000"}).is_valid()
        assert not Bounded({"amount": "-1"}).is_valid()
        assert Bounded({"amount": "50"}).is_valid()
        assert not PriceForm({"amount": "1000000000000"}).is_valid()
        assert PriceForm({"amount": ""}).is_valid()


@pytest.mark.parametrize(
    ("language", "shown"), [("sq", "1.500,00"), ("sr-latn", "1.500,00"), ("en", "1,500.00")]
)
def test_money_field_shows_its_value_as_the_page_writes_it(language, shown):
    with translation.override(language):
        html = str(PriceForm(initial={"amount": Decimal("1500")})["amount"])
        assert f'value="{shown}"' in html
        assert 'type="text"' in html and 'inputmode="decimal"' in html
        assert "€" not in html and "step" not in html
        # what is shown is accepted back, in the same language
        form = PriceForm({"amount": shown})
        assert form.is_valid() and form.cleaned_data["amount"] == Decimal("1500.00")


def test_amount_for_input():
    assert amount_for_input(Decimal("1554050"), "sq") == "1.554.050,00"
    assert amount_for_input(Decimal("1554050"), "en") == "1,554,050.00"
    assert amount_for_input(Decimal("-0.5"), "sr-latn") == "-0,50"
    assert amount_for_input(None, "en") == ""


def test_amount_format_field_defaults_to_the_page():
    class ImportForm(forms.Form):
        amount_format = AmountFormatField()

    for language, expected in (("sq", "sq"), ("sr-latn", "sq"), ("en", "en")):
        with translation.override(language):
            form = ImportForm()
            assert form["amount_format"].value() == expected
            bound = ImportForm({})
            assert bound.is_valid() and bound.cleaned_data["amount_format"] == expected
    with translation.override("sq"):
        form = ImportForm({"amount_format": "en"})
        assert form.is_valid() and form.cleaned_data["amount_format"] == "en"
        assert not ImportForm({"amount_format": "xx"}).is_valid()
