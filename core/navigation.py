"""Navbar entries that depend on another app's data.

`core` never imports the component apps: an app registers a *menu flag* from its
`AppConfig.ready()` with `register_menu_flag(name, predicate)`, where `predicate(user)` says
whether a signed-in user sees the entry. `{% site_header %}` (core_tags) hands the flags to
`includes/_main_menu.html` as `flags.<name>` and renders each language and set of flags once
per process. Registration is idempotent per name (a `ready()` may run twice in tests).
"""

from collections.abc import Callable

_flags: dict[str, Callable] = {}


def register_menu_flag(name: str, predicate: Callable) -> None:
    _flags[name] = predicate


def menu_flags(user) -> dict[str, bool]:
    """Every registered flag for `user` (all False for visitors)."""
    signed_in = bool(user and user.is_authenticated)
    return {name: signed_in and bool(predicate(user)) for name, predicate in _flags.items()}
