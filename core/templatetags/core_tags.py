from typing import NamedTuple

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core import money as core_money
from core.money import format_money, format_number, money_format_parts

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (keeps filters when paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def page_query(context, number, param=""):
    """The current query string with page `param` ("page" unless named) set to `number`: two
    paginated lists on one page each page with their own parameter."""
    return query_replace(context, **{param or "page": number})


@register.filter
def elided_page_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


class ExportFormat(NamedTuple):
    format: str
    label: str
    refusal: str  # why this format makes no report of these params ("" when it does)


@register.simple_tag(takes_context=True)
def report_export_formats(context, kind, params=None, **named):
    """[(format, label, refusal), …] of report `kind` that the current user may export; [] otherwise.
    With the report's params (`params`: the page's query string or QueryDict, and/or each as
    a keyword), `refusal` is the report's reason (translated) why they make no report in that
    format — the button is drawn disabled with it (`report_job_start` would refuse it) — and ""
    when they do. One call of the report's `refusal` per format, and only with params."""
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
    cleaned = None
    if report.refusal is not None and (params is not None or named):
        query = (
            QueryDict(params, mutable=True) if isinstance(params, str) or params is None else params.copy()
        )
        for name, value in named.items():
            query[name] = str(value)
        cleaned = report.clean_params(query)
    labels = dict(ReportJob.Format.choices)
    return [
        ExportFormat(
            fmt, labels.get(fmt, fmt.upper()), report.refusal(cleaned, fmt) if cleaned is not None else ""
        )
        for fmt in report.formats
    ]


_HEADERS: dict = {}  # (language, what the user may see) -> the site header's HTML; see `site_header`
# What `site_header` fills in per request (the header is rendered with these in their place).
CSRF_PLACEHOLDER = "cea-csrf-token-placeholder"
_CSRF_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'


def _url_placeholder(code: str) -> str:
    return f"cea-page-in-{code}-placeholder"


@receiver(setting_changed)
def _forget_memos(**kwargs):
    core_money._forget_formats()
    _HEADERS.clear()


def _switcher_languages(current: str) -> list[dict]:
    from django.conf import settings

    languages = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "label": "SR" if code == "sr-latn" else code.upper(),
                "url": _url_placeholder(code),
                "current": code == current,
            }
        )
    return languages


@register.simple_tag(takes_context=True)
def site_header(context):
    """The page header: the navbar with the main menu, the account links and the language
    switcher. Its HTML depends only on the language and on which entries the user sees (URLs
    and translations do not change while the process runs), so each process renders each
    variant once, with placeholders for what belongs to the request: the CSRF token of the
    sign-out form (signed-in people only) and the URLs of this page in each language (the
    switcher's plain links, core.i18n.page_in_language). Entries that depend on an app's data
    come as flags (core.navigation)."""
    from django.conf import settings

    from core.i18n import page_in_language
    from core.navigation import menu_flags

    user = context.get("user")
    signed_in = bool(user and user.is_authenticated)
    is_staff = signed_in and user.is_staff
    flags = menu_flags(user)
    language = translation.get_language()
    key = (language, signed_in, is_staff, tuple(sorted(flags.items())))
    html = _HEADERS.get(key)
    if html is None:
        html = _HEADERS[key] = render_to_string(
            "includes/_site_header.html",
            {
                "signed_in": signed_in,
                "is_staff": is_staff,
                "flags": flags,
                "csrf_token": CSRF_PLACEHOLDER,
                "switcher_languages": _switcher_languages(language),
                "language_cookie_name": settings.LANGUAGE_COOKIE_NAME,
            },
        ).strip()
    if signed_in:
        token = context.get("csrf_token")
        # As {% csrf_token %} does: no input at all where the page has no token (e.g. error pages).
        csrf_input = format_html(_CSRF_INPUT, token) if token and str(token) != "NOTPROVIDED" else ""
        html = html.replace(_CSRF_INPUT.format(CSRF_PLACEHOLDER), csrf_input)
    request = context.get("request")
    for code, _name in settings.LANGUAGES:
        # Template output (memoised) with this page's URLs, escaped here.
        url = page_in_language(request, code) if request is not None else reverse_home(code)
        html = html.replace(_url_placeholder(code), escape(url))
    return mark_safe(html)


def reverse_home(code: str) -> str:
    from django.urls import reverse

    with translation.override(code):
        return reverse("home")


@register.filter(is_safe=True)
def money(value):
    """`value` as the active language writes an amount, without the € sign ("1.554.050,00" in
    sq and sr-Latn, "1,554,050.00" in en): for cells whose column heading names the currency.
    "" for empty or non-numbers. Fast (core.money memoises the format per language): ranking
    tables print hundreds of amounts."""
    return format_number(value)


@register.filter(is_safe=True)
def eur(value):
    """`value` as the active language writes an amount in euros, the € sign where the language
    puts it: "1.554.050,00 €" in sq and sr-Latn, "€1,554,050.00" in en. "" for empty."""
    return format_money(value)


@register.simple_tag
def money_format_attrs():
    """The active language's way of writing an amount as data attributes (for <body>), so that
    scripts write amounts as the page does (static/js/portal.js: window.ceaMoney)."""
    parts = money_format_parts()
    return format_html(
        'data-money-thousands="{}" data-money-decimal="{}" data-money-pattern="{}"',
        parts["thousands"],
        parts["decimal"],
        parts["pattern"],
    )


# --- workflows (core.workflow) ----------------------------------------------------------------


@register.inclusion_tag("core/includes/_status_badge.html")
def status_badge(obj=None, *, status=None, workflow=None, label=None, css=""):
    """The status of `obj` as a badge in its workflow's colour: `{% status_badge report %}`.
    Without an object: `{% status_badge status="paid" workflow="grants.tranche" %}`.
    `label` replaces the status's own label (e.g. the applicant's public label)."""
    from core import workflow as workflows

    flow = workflows.for_model(obj) if obj is not None else workflows.by_name(workflow)
    if obj is not None and status is None:
        status = getattr(obj, flow.status_field)
    return {
        "label": label if label not in (None, "") else flow.label(status),
        "colour": flow.colour(status),
        "css": css,
    }


@register.simple_tag(takes_context=True)
def available_moves(context, obj):
    """`{% available_moves obj as moves %}`: [(target, button label)] of the moves the
    signed-in user may make on `obj` now (core.workflow)."""
    from core import workflow as workflows

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return workflows.available_moves(user, obj)
