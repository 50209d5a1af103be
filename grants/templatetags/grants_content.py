"""Filters to show an application's content (a `snapshot` dict: a revision or the current
draft) in the reader's language: labels kept in sq/sr/en, codes of categories and types,
amounts in EUR and ISO dates. Snapshots are stored data: every filter takes anything and
never raises."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import get_language

from core.money import format_money
from grants.choices import ApplicantType, BudgetCategory, Stage

register = template.Library()


def _language_key() -> str:
    lang = (get_language() or "sq").lower()
    return "sr" if lang.startswith("sr") else "en" if lang.startswith("en") else "sq"


@register.filter
def in_language(value):
    """A {"sq": …, "sr": …, "en": …} label in the active language (falling back to Albanian,
    then English); any other value as it is."""
    if isinstance(value, dict):
        return value.get(_language_key()) or value.get("sq") or value.get("en") or value.get("sr") or ""
    return "" if value is None else value


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


@register.filter
def budget_category(value):
    return _label(BudgetCategory, value)


@register.filter
def applicant_type_label(value):
    return _label(ApplicantType, value)


@register.filter
def stage_label(value):
    return _label(Stage, value)


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


@register.filter
def eur(value):
    """An amount as the language writes it, with the € sign (core.money.format_money)."""
    if _decimal(value) is None:
        return value if value not in (None, "") else "—"
    return format_money(value)


@register.filter
def quantity(value):
    number = _decimal(value)
    if number is None:
        return value
    return formats.number_format(
        number.normalize() if number == number.to_integral() else number, use_l10n=True
    )


@register.filter
def iso_date(value):
    """An ISO date string (as snapshots keep dates) as a date; anything else unchanged."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


@register.simple_tag
def budget_summary(data):
    """Totals by category (in the order of the categories) and the co-financing share."""
    lines = data.get("budget") if isinstance(data, dict) else None
    categories: dict[str, dict] = {}
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, dict):
            continue
        code = str(line.get("category") or "")
        entry = categories.setdefault(
            code,
            {
                "code": code,
                "label": budget_category(code),
                "requested": Decimal(0),
                "cofinancing": Decimal(0),
            },
        )
        entry["requested"] += _decimal(line.get("requested")) or Decimal(0)
        entry["cofinancing"] += _decimal(line.get("cofinancing")) or Decimal(0)
    order = {code: i for i, code in enumerate(BudgetCategory.values)}
    rows = sorted(categories.values(), key=lambda e: order.get(e["code"], len(order)))
    for row in rows:
        row["total"] = row["requested"] + row["cofinancing"]
    totals = data.get("totals") if isinstance(data, dict) and isinstance(data.get("totals"), dict) else {}
    total = _decimal(totals.get("total")) or Decimal(0)
    cofinancing = _decimal(totals.get("cofinancing")) or Decimal(0)
    share = (cofinancing * 100 / total).quantize(Decimal("0.1")) if total > 0 else None
    return {"categories": rows, "share": share}
