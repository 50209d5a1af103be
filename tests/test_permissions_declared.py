"""Every view of our apps declares who may open it (core.permissions): a `rules` permission,
`signed_in`, a staff page, or `public`; an API view names its own `permission_classes`.

The URL map is walked whole, in every language of the i18n patterns, with /api/, /i18n/,
/healthz...; views of third-party packages (listed below, by module) are skipped."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.utils import translation
from rest_framework import views as drf_views
from rest_framework.permissions import AllowAny

from core.permissions import declaration_of, permission, public, signed_in

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures load reference data

OUR_APPS = (
    "core",
    "accounts",
    "organizations",
    "grants",
    "giving",
    "transparency",
    "assistance",
    "academy",
    "volunteering",
    "dialogue",
    "config",
)

# Views of these packages are theirs to protect (the admin, allauth's sign-in pages, the
# schema, Django's language switch and static files, DRF's API root).
THIRD_PARTY = (
    "django.contrib.admin",
    "django.contrib.auth",
    "django.views.i18n",
    "django.views.static",
    "django.views.generic",
    "allauth",
    "drf_spectacular",
    "rest_framework",
    "simple_history",
)


def _ours(module: str) -> bool:
    return module.split(".")[0] in OUR_APPS


def _third_party(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in THIRD_PARTY)


def _view_class(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None)


def _declares_api_permissions(cls) -> bool:
    """A class of our code in the MRO names `permission_classes` or `get_permissions`."""
    return any(
        _ours(klass.__module__) and ("permission_classes" in vars(klass) or "get_permissions" in vars(klass))
        for klass in cls.__mro__
    )


def is_declared(callback) -> bool:
    cls = _view_class(callback)
    if cls is not None and issubclass(cls, drf_views.APIView):
        return _declares_api_permissions(cls)
    return declaration_of(callback) is not None


def walk(resolver, prefix=""):
    """(route, callback) for every URL pattern under `resolver`, but not inside the admin site
    (`admin.site.urls`: its `admin_view` wrapper lets only active staff in, and
    accounts.middleware asks them for the second factor), whoever wrote its views."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from walk(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def undeclared(resolver) -> list[str]:
    """'module.view (route)' for every view of ours that declares nothing."""
    found = {}
    for route, callback in walk(resolver):
        cls = _view_class(callback)
        module = (cls or callback).__module__
        if _third_party(module):
            continue
        name = f"{module}.{(cls or callback).__qualname__}"
        if not _ours(module):
            found.setdefault(name, f"{name} ({route}): not one of our apps and not listed as third-party")
        elif not is_declared(callback):
            found.setdefault(name, f"{name} ({route})")
    return sorted(found.values())


def all_routes():
    routes = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            routes.update(route for route, _cb in walk(get_resolver()))
    return routes


def test_every_view_declares_its_permission():
    problems = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for problem in undeclared(get_resolver()):
                problems.setdefault(problem.split(" ")[0], problem)
    assert not problems, "Views without a permission declaration:\n" + "\n".join(sorted(problems.values()))


def test_the_walk_reaches_every_part_of_the_url_map():
    routes = all_routes()
    for expected in ("healthz", "i18n/", "api/v1/", "sq/grants/", "en/giving/", "sr-latn/transparency/"):
        assert any(route.startswith(expected) for route in routes), expected
    assert not any(route.startswith("admin/") for route in routes)


# A small urlconf: the walk must name the one view that lost its declaration.


@public
def open_page(request):
    return HttpResponse()


@signed_in
def member_page(request):
    return HttpResponse()


@permission("grants.manage_call")
def staff_only(request):
    return HttpResponse()


def forgotten(request):
    return HttpResponse()


class DeclaredApi(drf_views.APIView):
    permission_classes = [AllowAny]


class UndeclaredApi(drf_views.APIView):
    pass


for _obj in (open_page, member_page, staff_only, forgotten, DeclaredApi, UndeclaredApi):
    _obj.__module__ = "core.views_example"  # pretend they are ours

inner = [path("forgotten/", forgotten), path("staff/", staff_only)]
urlpatterns = [
    path("", open_page),
    path("me/", member_page),
    path("nested/", include(inner)),
    path("api/ok/", DeclaredApi.as_view()),
    path("api/bad/", UndeclaredApi.as_view()),
]


def test_the_walk_names_a_view_that_declares_nothing():
    assert undeclared(get_resolver(__name__)) == [
        "core.views_example.UndeclaredApi (api/bad/)",
        "core.views_example.forgotten (nested/forgotten/)",
    ]


def test_a_view_outside_our_apps_and_the_skip_list_is_reported():
    def stray(request):
        return HttpResponse()

    stray.__module__ = "somewhere.views"

    class Conf:
        urlpatterns = [path("x/", stray)]

    assert undeclared(get_resolver(Conf)) == [
        "somewhere.views.test_a_view_outside_our_apps_and_the_skip_list_is_reported.<locals>.stray (x/): "
        "not one of our apps and not listed as third-party"
    ]


@pytest.mark.parametrize("callback", [open_page, member_page, staff_only])
def test_declared_views_pass(callback):
    assert is_declared(callback)


def test_rules_are_registered_only_in_rules_modules():
    """`rules.add_perm` / `rules.set_perm` appear only in an app's rules.py."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    found = []
    for app in OUR_APPS:
        for source in (root / app).rglob("*.py"):
            if source.name == "rules.py" or "migrations" in source.parts:
                continue
            text = source.read_text(encoding="utf-8")
            if "rules.add_perm(" in text or "rules.set_perm(" in text:
                found.append(str(source.relative_to(root)))
    assert found == []
