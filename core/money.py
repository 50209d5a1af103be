"""Money, the one way: reading an amount however people write it, and showing it as the
page's language writes it. Every app, form, import and template uses these; never a copy.

Amounts are `Decimal` in EUR with two decimals (`DecimalField(max_digits=14, decimal_places=2)`).
"""

from decimal import Decimal

CENT = Decimal("0.01")

# --- Parsing ------------------------------------------------------------------


# --- Display ------------------------------------------------------------------

from decimal import ROUND_HALF_UP, Context, InvalidOperation  # noqa: E402  (here, so the sections merge apart)

from django.conf import settings  # noqa: E402
from django.utils.translation import get_language  # noqa: E402

# How each language of the site writes an amount: (thousands separator, decimal separator,
# where the € sign goes). "{}" is the number without its sign; a minus goes in front of all.
_STYLES = {
    "sq": (".", ",", "{} €"),
    "sr-latn": (".", ",", "{} €"),
    "sr": (".", ",", "{} €"),
    "en": (",", ".", "€{}"),
}
# Room for any amount a float or a DecimalField can hold (the default context has 28 digits).
_WIDE = Context(prec=400)
# language -> (str.translate table for "1,234.56", pattern with €); filled on first use.
_FORMATS: dict = {}


def _format_for(language):
    try:
        return _FORMATS[language]
    except KeyError:
        pass
    code = (language or "").lower().replace("_", "-")
    style = _STYLES.get(code) or _STYLES.get(code.split("-")[0])
    if style is None:  # a language the site does not offer: Django's separators, € after
        from django.utils.formats import get_format

        style = (get_format("THOUSAND_SEPARATOR", code), get_format("DECIMAL_SEPARATOR", code), "{} €")
    thousands, decimal, pattern = style
    found = _FORMATS[language] = ({ord(","): thousands, ord("."): decimal}, pattern)
    return found


def _active_language():
    return get_language() or settings.LANGUAGE_CODE


def _quantized(value):
    """`value` as a Decimal rounded half up to cents, or None for empty and non-numbers."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).strip())
        if not number.is_finite():
            return None
        return number.quantize(CENT, ROUND_HALF_UP, _WIDE)
    except (InvalidOperation, ValueError, TypeError):
        return None


def format_money(value, *, language: str | None = None, currency: bool = True) -> str:
    """`value` (Decimal, int, float or numeric str) as the language writes an amount, with two
    decimals rounded half up: "1.554.050,00 €" in sq and sr-Latn, "€1,554,050.00" in en;
    "-1.500,00 €" / "-€1,500.00"; never "-0,00". `language` defaults to the active one;
    `currency=False` leaves the € sign out (see `format_number`). "" for None, "" and
    anything that is not a number."""
    number = _quantized(value)
    if number is None:
        return ""
    table, pattern = _format_for(language or _active_language())
    text = f"{abs(number):,.2f}".translate(table)
    if currency:
        text = pattern.format(text)
    return f"-{text}" if number < 0 else text


def format_number(value, *, language: str | None = None) -> str:
    """The amount as `format_money` writes it, without the € sign: for table cells whose
    column heading names the currency ("Amount (EUR)") and for form fields."""
    return format_money(value, language=language, currency=False)


def _forget_formats(**kwargs):
    _FORMATS.clear()


def money_format_parts(language: str | None = None) -> dict:
    """How `language` (default: the active one) writes an amount, for scripts that format
    numbers in the browser: {"thousands": ".", "decimal": ",", "pattern": "{} €"}."""
    table, pattern = _format_for(language or _active_language())
    return {"thousands": table[ord(",")], "decimal": table[ord(".")], "pattern": pattern}
