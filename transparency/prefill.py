"""Pre-fill of a new yearly report from what the portal already knows.

Other apps plug in without transparency importing their models: a provider is a function
`fn(organization, year) -> list[Prefill]` (or of plain `(field, value, source label)`
tuples) named by its dotted path in `settings.TRANSPARENCY_PREFILL_PROVIDERS`, usually a
selector of the other app, e.g. `giving.selectors.transparency_prefill`. A provider whose
app is not installed is skipped; one that fails is logged and skipped, so the report
starts with what the others gave. Later providers in the setting win for the same field.

Fields a provider may fill: the report's income, expenditure and people figures,
`main_activities`, `beneficiaries_reached`, `municipalities` (a list of municipality
slugs) and `board` (a list of `{"name": ..., "role": ...}`).

Source labels should be `gettext_lazy` strings without placeholders: the report stores
the English source text (`prefill_sources`) and shows it in the reader's language.
"""

import logging
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from transparency.models import EXPENDITURE_FIELDS, INCOME_FIELDS

logger = logging.getLogger(__name__)

MONEY_FIELDS = (*INCOME_FIELDS, *EXPENDITURE_FIELDS)
COUNT_FIELDS = (
    "staff_full_time",
    "staff_part_time",
    "volunteers",
    "volunteer_hours",
    "beneficiaries_reached",
)
TEXT_FIELDS = ("main_activities",)
LIST_FIELDS = ("municipalities", "board")
PREFILL_FIELDS = (*MONEY_FIELDS, *COUNT_FIELDS, *TEXT_FIELDS, *LIST_FIELDS)


class Prefill(NamedTuple):
    field: str
    value: Any
    source: str  # a label: "the giving tracker"


def _app_of(path: str) -> str | None:
    """The installed app a provider's dotted path belongs to (longest matching prefix)."""
    parts = path.split(".")
    for n in range(len(parts) - 1, 0, -1):
        candidate = ".".join(parts[:n])
        if apps.is_installed(candidate):
            return candidate
    return None


def _clean_value(field: str, value):
    """The value in the type the report stores, or raise ValueError."""
    if field in MONEY_FIELDS:
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError):
            raise ValueError(field) from None
        if amount < 0:
            raise ValueError(field)
        return amount
    if field in COUNT_FIELDS:
        number = int(value)
        if number < 0:
            raise ValueError(field)
        return number
    if field in TEXT_FIELDS:
        return str(value)[:6000]
    if field == "municipalities":
        return [str(slug) for slug in value]
    if field == "board":
        return [
            {"name": str(member["name"])[:150], "role": str(member.get("role") or "")[:100]}
            for member in value
            if str(member.get("name") or "").strip()
        ]
    raise ValueError(field)


def collect(organization, year: int) -> dict[str, Prefill]:
    """Ask every installed provider; field → the Prefill that won."""
    found: dict[str, Prefill] = {}
    for path in getattr(settings, "TRANSPARENCY_PREFILL_PROVIDERS", ()):
        if _app_of(path) is None:
            continue  # e.g. grants or volunteering, not installed (yet)
        try:
            provider = import_string(path)
        except ImportError:
            logger.warning("Transparency pre-fill provider %s cannot be imported; skipped.", path)
            continue
        try:
            with transaction.atomic():  # a failing query must not break the caller's transaction
                items = list(provider(organization, year) or ())
        except Exception:  # another app's bug (logged) must never stop a report from starting
            logger.exception("Transparency pre-fill provider %s failed; skipped.", path)
            continue
        for item in items:
            try:
                prefill = Prefill(*item)
                if prefill.field not in PREFILL_FIELDS:
                    raise ValueError(prefill.field)
                value = _clean_value(prefill.field, prefill.value)
            except (TypeError, ValueError, KeyError, AttributeError):
                logger.warning("Transparency pre-fill provider %s gave an unusable item %r.", path, item)
                continue
            with translation.override(None):  # keep the source text; shown translated later
                source = str(prefill.source)
            found[prefill.field] = Prefill(prefill.field, value, source)
    return found


def source_entry(prefill: Prefill) -> dict:
    """What `TransparencyReport.prefill_sources[field]` remembers of a pre-filled figure."""
    value = prefill.value
    if isinstance(value, Decimal):
        shown = str(value)
    elif prefill.field == "board":
        shown = str(len(value))
    elif prefill.field == "municipalities":
        shown = str(len(value))
    elif isinstance(value, str):
        shown = value[:80]
    else:
        shown = str(value)
    return {"source": prefill.source, "value": shown}


# --- transparency's own provider ---------------------------------------------------------


def from_last_report(organization, year: int) -> list[Prefill]:
    """The organisation's last published report before `year`: board, staff and volunteers,
    activities, municipalities and the structure of its income."""
    from transparency.selectors.reports import latest_published_report

    last = latest_published_report(organization, before_year=year)
    if last is None:
        return []
    source = _("your last published report")
    items = [Prefill(field, getattr(last, field), source) for field in INCOME_FIELDS if getattr(last, field)]
    items += [
        Prefill(field, getattr(last, field), source)
        for field in ("staff_full_time", "staff_part_time", "volunteers", "volunteer_hours")
        if getattr(last, field)
    ]
    if last.main_activities:
        items.append(Prefill("main_activities", last.main_activities, source))
    board = [{"name": m.name, "role": m.role} for m in last.board_members.all()]
    if board:
        items.append(Prefill("board", board, source))
    municipalities = [m.slug for m in last.municipalities.all()]
    if municipalities:
        items.append(Prefill("municipalities", municipalities, source))
    return items


def last_known_income(organization, year: int) -> Decimal | None:
    """The total income of the last published report before `year` (the form-size rule)."""
    from transparency.selectors.reports import latest_published_report

    last = latest_published_report(organization, before_year=year)
    if last is None:
        return None
    return last.total_income_declared if last.total_income_declared is not None else last.total_income
