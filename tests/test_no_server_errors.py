"""Every page outside grants (which has its own sweep, tests/grants/test_no_server_errors.py)
and the API (schemathesis fuzzes the API), for a visitor, a CSO owner and staff, with
malformed input: a sweep over the URL map, so a page added later is swept too. Path
arguments are the demo data's own objects, other people's and unknown ones; query strings
and POST bodies carry junk values. The sign-in, sign-up and second-factor pages (allauth's,
in our templates and adapter) are swept too, but not sign-out, which would change the role
half-way. Then the admin, as KCSF staff. Each part's own tests pin what the pages do; this
one pins "never a 500".

One test per route and role (and per admin model), so that pytest-xdist spreads them over
its workers; the demo data is seeded once per module and worker (`rows_for_the_scope`), and
each test starts from it as seeded."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from accounts.models import User
from organizations.models import Organization
from tests.helpers import rows_for_the_scope

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

SKIPPED_NAMESPACES = {"grants", "admin"}
JUNK_VALUES = ["", "x" * 3000, "-1", "1e309", "NaN", "²", "99999999999999999999", "<script>", "2026-13-45"]
JUNK_FIELDS = [
    "q", "page", "year", "municipality", "sector", "kind", "status", "format", "fmt", "what", "sort",
    "ordering", "organization", "amount", "date", "donor_type", "channel", "purpose", "name", "title",
    "description", "email", "role", "language", "next", "ids", "action", "reason", "body", "section",
    "revision", "period", "currency", "country", "full_name", "registration_number", "file",
]  # fmt: skip


def _routes():
    """(name, {argument: converter class name}) of every named page to sweep."""
    routes = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace not in SKIPPED_NAMESPACES:
                converters = getattr(pattern.pattern, "converters", {})
                regex_groups = pattern.pattern.regex.groupindex
                if regex_groups and not converters:
                    continue  # regex routes (allauth keys, the API's not-found catch-alls)
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                routes.append((name, {k: type(v).__name__ for k, v in converters.items()}))

    walk(get_resolver().url_patterns)
    return [
        (name, converters)
        for name, converters in routes
        if not name.startswith("api") and name != "account_logout"
    ]


ROUTES = _routes()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data, seeded once for all the tests of this module (on each worker)."""
    with rows_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("seed_demo", verbosity=0)
            organization = Organization.objects.order_by("pk").first()
            data = {
                "staff": User.objects.get(email="admin@cea.test"),
                "owner": User.objects.get(email="drita@cea.test"),
                "slug": organization.slug,
            }
        yield data


def _arguments(converters: dict, *, foreign: bool, slug: str):
    values = {
        "IntConverter": 999_999 if foreign else 1,
        "SlugConverter": "no-such-thing" if foreign else slug,
        "StringConverter": "no-such-thing" if foreign else "csv",
        "UUIDConverter": uuid.uuid4(),
    }
    return {name: values.get(kind, "x") for name, kind in converters.items()}


def _urls(name, converters, slug):
    urls = []
    for foreign in (False, True) if converters else (False,):
        try:
            urls.append(reverse(name, kwargs=_arguments(converters, foreign=foreign, slug=slug)))
        except Exception:  # noqa: BLE001 - a combination the route does not accept is not a page
            continue
    return urls


def test_the_sweep_covers_the_apps():
    names = {name for name, _ in ROUTES}
    assert len(ROUTES) >= 60
    assert {
        "home",
        "organizations:directory",
        "giving:dashboard",
        "giving:record_add",
        "transparency:report_list",
        "transparency:report_section",
        "core:report_start",
        "accounts:profile",
        "account_login",
        "account_signup",
        "mfa_activate_totp",
    } <= names
    assert "account_logout" not in names


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _ in ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "owner", "staff"])
def test_no_page_answers_500(client, demo, role, name, converters):
    if role != "anonymous":
        client.force_login(demo[role])
    client.raise_request_exception = False  # collect every 500, not only the first
    failures = []
    with translation.override("en"):
        urls = _urls(name, converters, demo["slug"])
    for url in urls:
        for value in ("", "1e309", "²", "<script>"):
            response = client.get(url, {field: value for field in JUNK_FIELDS})
            if response.status_code >= 500:
                failures.append(("GET", url, value, response.status_code))
        for value in JUNK_VALUES:
            data = {field: value for field in JUNK_FIELDS}
            data["file"] = SimpleUploadedFile("evil.pdf", b"MZ" + b"\0" * 100, content_type="application/pdf")
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append(("POST", url, value[:20], response.status_code))
    assert not failures, failures
    if role != "anonymous":  # the sweep of this route ran signed in as this role
        with translation.override("en"):
            assert client.get(reverse("accounts:dashboard")).status_code == 200


# --- the admin -------------------------------------------------------------------------------

ADMIN_JUNK = [
    {"q": "x" * 3000},
    {"o": "abc"},
    {"o": "99"},
    {"p": "²"},
    {"p": "-1"},
    {"e": "1"},
    {"status__exact": "no-such-status"},
    {"id__gt": "abc"},
    {"created_at__gte": "2026-13-45"},
    {"_changelist_filters": "%00"},
]


def _admin_models():
    from django.contrib import admin

    return sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


ADMIN_MODELS = _admin_models()


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=[model._meta.label_lower for model in ADMIN_MODELS])
def test_no_admin_page_answers_500(client, demo, model):
    """Every model's list (with bad sorting, paging, filters and searches), add page, and
    change / history / delete pages of an existing and an unknown object, as KCSF staff."""
    client.force_login(demo["staff"])
    client.raise_request_exception = False
    failures = []
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    for params in ({}, *ADMIN_JUNK):
        response = client.get(changelist, params)
        if response.status_code >= 500:
            failures.append((changelist, params, response.status_code))
    first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    urls = [reverse("admin:{}_{}_add".format(*info))]
    for pk in filter(None, (first, 999_999)):
        urls += [
            reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[pk])
            for view in ("change", "history", "delete")
        ]
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, {}, response.status_code))
    assert not failures, failures


def test_the_admin_sweep_covers_every_model():
    from django.contrib import admin

    assert set(ADMIN_MODELS) == set(admin.site._registry)
    assert len(ADMIN_MODELS) >= 10
