"""Money, the one way: reading an amount however people write it, and showing it as the
page's language writes it. Every app, form, import and template uses these; never a copy.

Amounts are `Decimal` in EUR with two decimals (`DecimalField(max_digits=14, decimal_places=2)`).
"""

import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

CENT = Decimal("0.01")

# --- Parsing ------------------------------------------------------------------
#
# `parse_amount` reads what people type or what a spreadsheet cell holds. The rules:
#   - numbers (int, Decimal, float from an XLSX cell) are taken as they are (a float via
#     its shortest repr, so 1500.1 is 1500.10 and not 1500.0999999999999);
#   - in text, "€", "EUR" before or after, and spaces, no-break spaces, narrow no-break
#     spaces and apostrophes between groups of three digits are thousands separators;
#   - of two different separators ("1.500,50", "1,500.50") the last one is the decimal one;
#   - one separator used more than once ("1.500.000") groups thousands;
#   - one separator followed by exactly three digits ("1.500", "1,500") is ambiguous: it
#     follows the convention of `language` (sq and sr-Latn write 1.500,00; en 1,500.00),
#     and is refused when no language is given. It is never read as 1.50.


MAX_AMOUNT = Decimal("1e12")  # exclusive: fits DecimalField(max_digits=14, decimal_places=2)

# The decimal separator of each language's convention; other languages have none (ambiguous
# amounts are refused).
DECIMAL_SEPARATOR = {"sq": ",", "sr-latn": ",", "sr": ",", "en": "."}

_CURRENCY = re.compile(r"^(?:€|eur)\s*|\s*(?:€|eur)$", re.IGNORECASE)
_GROUP_SPACES = "\u0020\u00a0\u202f\u2009'\u2019"
_GROUPED_BY_SPACES = re.compile(r"^\d{1,3}(?:[" + _GROUP_SPACES + r"]\d{3})+(?:[.,]\d+)?$")
_DIGITS_AND_SEPARATORS = re.compile(r"^\d+(?:[.,]\d+)*$")
_THOUSANDS_GROUPS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_FLOAT_NOISE = Decimal("1e-6")


class AmountError(ValidationError):
    """An amount that cannot be read; its message says why and how to write it."""


def amount_language(language: str | None) -> str | None:
    """The key of DECIMAL_SEPARATOR for a language code ("sr_Latn", "sr-latn", "en-gb"), or None."""
    if not language:
        return None
    code = str(language).lower().replace("_", "-")
    if code in DECIMAL_SEPARATOR:
        return code
    base = code.split("-")[0]
    return base if base in DECIMAL_SEPARATOR else None


def _error(message, field: str, code: str, value=None) -> AmountError:
    text = str(message)
    if field:
        text = _("%(field)s: %(message)s") % {"field": field, "message": text}
    return AmountError(text, code=code)


def _plain(text: str) -> str:
    return text[:40] + ("…" if len(text) > 40 else "")


def _too_many_decimals(value: str, field: str) -> AmountError:
    return _error(
        _("“%(value)s” has more than two decimals: give the amount in euros and cents.")
        % {"value": _plain(value.strip())},
        field,
        "decimals",
    )


def _from_number(value, field: str) -> Decimal:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _error(_("Enter an amount in EUR, e.g. 1500.00."), field, "invalid")
        number = Decimal(repr(value))
        rounded = number.quantize(CENT)
        if number != rounded and abs(number - rounded) < _FLOAT_NOISE:
            number = rounded  # a spreadsheet formula's binary noise (150.00000000000003)
        return number
    return Decimal(value)


def _from_text(text: str, language: str | None, field: str) -> Decimal:
    original = text
    invalid = _error(
        _("“%(value)s” is not an amount. Enter an amount in EUR, e.g. 1500.00.")
        % {"value": _plain(original)},
        field,
        "invalid",
    )
    text = text.strip()
    for _round in range(2):  # "EUR -1.500" and "-1.500 €" alike
        text = _CURRENCY.sub("", text).strip()
    negative = text.startswith(("-", "\u2212"))
    if negative:
        text = _CURRENCY.sub("", text[1:]).strip()
    if not text:
        raise invalid
    spaced = any(ch in text for ch in _GROUP_SPACES)
    if spaced:
        if not _GROUPED_BY_SPACES.match(text):
            raise invalid
        text = "".join(ch for ch in text if ch not in _GROUP_SPACES)
    if not _DIGITS_AND_SEPARATORS.match(text):
        raise invalid
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _sep, decimals = text.rpartition(decimal_sep)
        if thousands_sep not in whole or decimal_sep in whole or not _THOUSANDS_GROUPS.match(whole):
            raise invalid
        whole = whole.replace(thousands_sep, "")
    elif dots + commas == 0:
        whole, decimals = text, ""
    elif dots + commas > 1:  # one separator, used more than once: thousands
        if not _THOUSANDS_GROUPS.match(text):
            raise invalid
        whole, decimals = text.replace(".", "").replace(",", ""), ""
    else:
        separator = "." if dots else ","
        whole, _sep, decimals = text.partition(separator)
        if len(decimals) == 3 and not spaced and _THOUSANDS_GROUPS.match(text) and whole != "0":
            convention = DECIMAL_SEPARATOR.get(amount_language(language) or "")
            if convention is None:
                raise _error(
                    _(
                        "“%(value)s” is ambiguous: it may mean %(thousands)s or %(decimal)s. Write it "
                        "without a thousands separator and with the cents, e.g. %(example)s, or choose "
                        "how the amounts are written."
                    )
                    % {
                        "value": _plain(original),
                        "thousands": whole + decimals,
                        "decimal": f"{whole}.{decimals.rstrip('0') or '0'}",
                        "example": f"{whole}{decimals}.00",
                    },
                    field,
                    "ambiguous",
                )
            if convention != separator:  # the thousands separator of this convention
                whole, decimals = whole + decimals, ""
    if len(decimals) > 2:
        raise _too_many_decimals(original, field)
    number = Decimal(f"{whole}.{decimals}" if decimals else whole)
    return -number if negative else number


def parse_amount(
    value,
    *,
    language: str | None = None,
    field: str = "",
    allow_negative: bool = False,
    allow_zero: bool = True,
    maximum: Decimal | None = MAX_AMOUNT,
) -> Decimal:
    """An amount in EUR as a Decimal with two decimals, from a number or from text written
    the way people write amounts (see above). `language` decides ambiguous amounts ("1.500");
    `field` names the cell or field in the messages. Raises AmountError (a ValidationError)
    for an empty value, text that is no amount, an ambiguous amount without a language, more
    than two decimals, a negative amount (unless `allow_negative`), zero (when not
    `allow_zero`) and an amount of `maximum` or more."""
    if isinstance(value, bool):
        raise _error(_("Enter an amount in EUR, e.g. 1500.00."), field, "invalid")
    if isinstance(value, int | float | Decimal):
        number = _from_number(value, field)
    elif value is None or str(value).strip() == "":
        raise _error(_("Enter an amount."), field, "empty")
    else:
        number = _from_text(str(value), language, field)
    if not number.is_finite():
        raise _error(_("Enter an amount in EUR, e.g. 1500.00."), field, "invalid")
    try:
        exact = number == number.quantize(CENT)
    except ArithmeticError:  # more digits than the context holds: far too large
        exact, number = True, Decimal("Infinity") if number > 0 else Decimal("-Infinity")
    if not exact:
        raise _too_many_decimals(str(value), field)
    if number < 0 and not allow_negative:
        if allow_zero:
            raise _error(_("The amount cannot be negative."), field, "negative")
        raise _error(_("The amount must be positive."), field, "negative")
    if number == 0 and not allow_zero:
        raise _error(_("The amount must be positive."), field, "zero")
    if (maximum is not None and abs(number) >= maximum) or not number.is_finite():
        raise _error(
            _("The amount is too large: it must be less than %(max)s.")
            % {"max": format_money(maximum or MAX_AMOUNT)},
            field,
            "too_large",
        )
    return number.quantize(CENT)


# --- Display ------------------------------------------------------------------


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


# --- Form field ---------------------------------------------------------------
#
# A form that takes money reads it with `parse_amount` in the page's language and shows
# its value as that language writes it (1.500,00 in sq and sr-Latn, 1,500.00 in en), plain
# digits without a currency sign, so what the page shows is what the form accepts. The
# input is type=text with inputmode=decimal: a type=number input refuses "1.500,00".


def amount_for_input(value, language: str | None = None) -> str:
    """`value` (a number) as an input shows it in `language` (default: the active one):
    "1.500,00" in sq and sr-Latn, "1,500.00" in en and any other language."""
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(CENT)
    text = f"{abs(number):,.2f}"  # 1,500.00
    if DECIMAL_SEPARATOR.get(amount_language(language or translation.get_language()) or "") == ",":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return f"-{text}" if number < 0 else text


class MoneyField(forms.DecimalField):
    """A DecimalField (max_digits 14, 2 decimals by default; min/max values kept) that reads
    amounts however the page's language writes them, with `parse_amount`."""

    def __init__(self, *, max_digits=14, decimal_places=2, widget=None, **kwargs):
        attrs = {"inputmode": "decimal", "autocomplete": "off"}
        if widget is None:
            widget = forms.TextInput(attrs=attrs)
        elif isinstance(widget, type):
            widget = widget(attrs=attrs)
        else:
            widget.attrs = {**attrs, **widget.attrs}
            widget.attrs.pop("step", None)
            if getattr(widget, "input_type", "") == "number":
                widget = forms.TextInput(attrs=widget.attrs)
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, widget=widget, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip()[:100]
        return parse_amount(value, language=translation.get_language(), allow_negative=True)

    def validate(self, value):
        forms.Field.validate(self, value)  # parse_amount refused NaN and infinities already

    def prepare_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return amount_for_input(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        return attrs


def page_amount_format() -> str:
    """The amount format of the active language: "sq" (1.500,00, also for sr-Latn) or "en"."""
    return "sq" if DECIMAL_SEPARATOR.get(amount_language(translation.get_language()) or "") == "," else "en"


class AmountFormatField(forms.ChoiceField):
    """ "How amounts are written in this file" for an import: the convention that decides
    ambiguous amounts ("1.500"), by default the page's language. The value is a language
    code for `parse_amount(language=…)`; a form posted without it gets the page's format."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("How amounts are written in this file"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy("Decides amounts such as 1.500: one thousand five hundred, or one and a half."),
        )
        kwargs.setdefault("initial", page_amount_format)
        kwargs.setdefault("widget", forms.Select(attrs={"class": "form-select"}))
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[
                ("sq", gettext_lazy("Albanian or Serbian: 1.500,00")),
                ("en", gettext_lazy("English: 1,500.00")),
            ],
            **kwargs,
        )

    def clean(self, value):
        """The chosen format; when none was sent, the page's."""
        return super().clean(value) or page_amount_format()
