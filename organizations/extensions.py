"""Extension points of the organisation directory and profile, for other apps.

`organizations` never imports the apps built on it; those apps plug into the directory
from their `AppConfig.ready()` instead:

- `register_directory_queryset_hook(fn)`: `fn(queryset) -> queryset`, applied by
  `organizations.selectors.public_organizations()` (e.g. a `select_related` so that cards
  show related data without a query per row).
- `register_directory_filter(name, make_filter)`: `make_filter()` returns a new
  django-filter `Filter`; it is added to the directory's filters (the HTML directory and
  the public API's `OrganizationFilter`). Give the filter a callable `method`. In the API
  its parameter takes a value from a fixed set: a blank value is refused (400), as for `kind`.
- `register_template_snippet(slot, template_name)`: rendered by
  `{% org_extensions "<slot>" organization %}` (`{% load org_extensions %}`) with
  `organization` in the context. Slots: "card" (directory card), "profile" (public profile).
- `register_api_field(name, make_field)`: `make_field()` returns a new read-only DRF
  serializer field, added to the public API's organisation serializer.

Registration is idempotent per name (a second registration under the same name replaces
the first), so that a `ready()` run twice (tests, autoreload) does not duplicate anything.
FilterSet classes opt in with `@extensible_filterset`; filters registered before or after
the class is created are both merged into its `base_filters` (what django-filter and the
OpenAPI schema read), and a FilterSet that memoises its form (core.filtersets.MemoFiltersMixin)
forgets it, so that the next request's form has the new filter.
"""

from collections.abc import Callable

from django.db.models import QuerySet

_queryset_hooks: dict[str, Callable[[QuerySet], QuerySet]] = {}
_filter_factories: dict[str, Callable] = {}
_filtersets: list[type] = []
_snippets: dict[str, dict[str, str]] = {}
_api_fields: dict[str, Callable] = {}


def _key(fn) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"


# --- Querysets ------------------------------------------------------------------------


def register_directory_queryset_hook(fn: Callable[[QuerySet], QuerySet]) -> None:
    _queryset_hooks[_key(fn)] = fn


def apply_directory_queryset_hooks(queryset: QuerySet) -> QuerySet:
    for fn in _queryset_hooks.values():
        queryset = fn(queryset)
    return queryset


# --- Filters --------------------------------------------------------------------------


def _add_filter(filterset_class, name: str, make_filter: Callable) -> None:
    filterset_class.base_filters[name] = make_filter()
    filterset_class._extension_filter_names = [
        *(n for n in getattr(filterset_class, "_extension_filter_names", []) if n != name),
        name,
    ]
    forget_form = getattr(filterset_class, "forget_form", None)
    if forget_form is not None:  # core.filtersets.MemoFiltersMixin keeps a form class built from the filters
        forget_form()


def register_directory_filter(name: str, make_filter: Callable) -> None:
    _filter_factories[name] = make_filter
    for filterset_class in _filtersets:
        _add_filter(filterset_class, name, make_filter)


def directory_filter_names() -> list[str]:
    return list(_filter_factories)


def extensible_filterset(filterset_class):
    """Class decorator of a directory FilterSet: merge the registered filters into it."""
    filterset_class._extension_filter_names = []
    _filtersets.append(filterset_class)
    for name, make_filter in _filter_factories.items():
        _add_filter(filterset_class, name, make_filter)
    return filterset_class


def extension_filter_names(filterset) -> list[str]:
    return list(getattr(filterset, "_extension_filter_names", []))


# --- Templates ------------------------------------------------------------------------


def register_template_snippet(slot: str, template_name: str) -> None:
    _snippets.setdefault(slot, {})[template_name] = template_name


def template_snippets(slot: str) -> list[str]:
    return list(_snippets.get(slot, {}).values())


# --- API ------------------------------------------------------------------------------


def register_api_field(name: str, make_field: Callable) -> None:
    from core.api.serializers import forget_fields

    _api_fields[name] = make_field
    forget_fields()  # serializers keep their built fields (core.api.serializers)


def api_fields() -> dict:
    """New field instances (a serializer binds each field it holds)."""
    return {name: make_field() for name, make_field in _api_fields.items()}
