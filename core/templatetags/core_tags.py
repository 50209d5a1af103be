from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import get_format

register = template.Library()
CENT = Decimal("0.01")


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def elided_page_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def report_export_formats(context, kind):
    """[(format, label), …] of report `kind` that the current user may export; [] otherwise."""
    from core import reports
    from core.models import ReportJob

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    try:
        report = reports.get(kind)
    except reports.UnknownReport:
        return []
    if not report.allowed_for(user):
        return []
    labels = dict(ReportJob.Format.choices)
    return [(fmt, labels.get(fmt, fmt.upper())) for fmt in report.formats]


_MONEY_FORMATS: dict = {}  # language -> (grouping, str.translate table); see `money`
_MENUS: dict = {}  # (language, what the user may see) -> the main menu's HTML; see `main_menu`


@receiver(setting_changed)
def _forget_memos(**kwargs):
    _MONEY_FORMATS.clear()
    _MENUS.clear()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The navbar's main menu. Its HTML depends only on the language and on which entries the
    user sees (URLs and translations do not change while the process runs), so each process
    renders each variant once. Entries that depend on an app's data come as flags
    (core.navigation)."""
    from core.navigation import menu_flags

    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    is_staff = signed_in and user.is_staff
    flags = menu_flags(user)
    key = (translation.get_language(), signed_in, is_staff, tuple(sorted(flags.items())))
    html = _MENUS.get(key)
    if html is None:
        html = _MENUS[key] = render_to_string(
            "includes/_main_menu.html", {"signed_in": signed_in, "is_staff": is_staff, "flags": flags}
        )
    return html


def _money_format():
    language = translation.get_language()
    try:
        return _MONEY_FORMATS[language]
    except KeyError:
        table = {ord(","): get_format("THOUSAND_SEPARATOR"), ord("."): get_format("DECIMAL_SEPARATOR")}
        _MONEY_FORMATS[language] = found = (get_format("NUMBER_GROUPING"), table)
        return found


@register.filter(is_safe=True)
def money(value):
    """`value` with two decimals in the active language's number format (thousands grouped
    where the language groups them): the same text as `floatformat:"2g"` at a fraction of
    its cost, for tables that print hundreds of amounts. "" for empty or non-numbers."""
    if value is None or value == "":
        return ""
    try:
        number = (
            value
            if isinstance(value, Decimal)
            else Decimal(repr(value) if isinstance(value, float) else str(value))
        )
        number = number.quantize(CENT, ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return floatformat(value, "2g")  # whatever floatformat makes of it (usually "")
    grouping, table = _money_format()
    if grouping == 3:
        text = f"{abs(number) if number.is_zero() else number:,.2f}"
    elif grouping == 0:
        text = f"{abs(number) if number.is_zero() else number:.2f}"
    else:  # no language of ours groups otherwise
        return floatformat(value, "2g")
    return text.translate(table)
