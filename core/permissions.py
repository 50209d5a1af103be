"""Permissions: every view declares who may open it; `require` and `error_text` for the rest.

The rules themselves live only in each app's `rules.py` (django-rules predicates registered
with `rules.add_perm`); this module is how views *name* them.

Pages (function views)
    ``@permission("grants.change_call", load=load_call, pass_as="call")``
        1. anonymous visitors are sent to the login page (``login=False`` lets them through
           to the permission check, for rules anonymous visitors can pass);
        2. for a staff page (``staff=True``) non-staff are refused and staff whose session
           did not pass the second factor are sent to give it (see below);
        3. ``load(request, **url_kwargs)`` finds the object: ``Http404`` (or ``None``) is a
           404, exactly as ``get_object_or_404`` in the view was;
        4. ``request.user.has_perm(perm, obj)`` (or on ``on(obj)``, e.g. a report's grant),
           else a 403 with a translated reason (``message=``), or a 404 (``refuse=404``)
           where the page hides what exists;
        5. the view is called with the object as the keyword ``pass_as`` (default ``obj``).
    ``@signed_in`` = ``@permission("core.signed_in")``: any signed-in person (the rule is in
    ``core/rules.py``; not a bare ``login_required``).
    ``@staff_page(perm, ...)`` = ``@permission(perm, ..., staff=True)``: the old
    ``staff_mfa_required`` semantics (login, 403 for non-staff, TOTP set-up / code
    redirect, back to this page). ``refuse_in_view=True`` keeps its variant: non-staff are
    not refused up front, so a missing object is still a 404 for them and the permission
    check answers 403 afterwards.
    ``@public``: anyone may open the page (the view may still show more to some people).

    Put the declaration *outermost* (above ``require_POST``, ``never_cache``...): it runs
    first, as ``login_required`` did, and every decorator below it built with
    ``functools.wraps`` keeps the marker anyway (``wraps`` copies ``__dict__``).

Class views (Django's ``View``)
    The same decorators applied to the class wrap ``dispatch`` and set the marker on the
    class; ``as_view()`` exposes it as ``view_class``.

API views (DRF)
    DRF has its own permission machinery, so an API view declares ``permission_classes``
    (or overrides ``get_permissions``) *in a class of our own code* — on the view or on a
    mixin of ours it inherits — even when that is ``[AllowAny]``; the settings' default
    does not count as a declaration. The marker is not used for DRF views.

The marker
    Every declaration sets ``view.permission_declaration`` (a ``Declaration``).
    ``tests/test_permissions_declared.py`` walks the URL map and fails for a view of ours
    that has neither the marker nor (API) its own ``permission_classes``.

Second factor: staff powers need a session that passed it
    This module is the one place that decides it. ``accounts`` registers two functions
    (``core`` imports nothing above it): ``register_second_factor_passed(passed)``, whether
    a request's session passed the second factor, and ``register_second_factor_check``, the
    response that sends a staff member to give it. Its middleware ties each request's user
    to its session (``bind_session``).

    A staff member (``is_staff`` or ``is_superuser``) whose session did not pass it has no
    staff powers (``staff_powers_withheld``): ``User.has_perm`` evaluates every permission
    as the same person without them (``without_staff_powers``: a copy with ``is_staff`` and
    ``is_superuser`` False, never saved), so views, selectors, templates, services
    (``require``) and exports that ask ``has_perm`` see an ordinary member. What they may
    still do as a member goes through; a declared permission they are refused sends them
    to the second factor (``_refusal``), as does a ``PermissionDenied`` raised later in a
    page (the middleware). Code that reads staff status directly asks
    ``has_staff_powers(user)``, never ``user.is_staff``. A user not tied to a request
    (tasks, the shell, API tokens) keeps the powers it has.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DENIED = gettext_lazy("You do not have permission to do this.")
SIGNED_IN = "core.signed_in"
PUBLIC = "public"


def require(user, perm: str, obj=None) -> None:
    """PermissionDenied (a 403 with a translated reason) unless `user` has `perm` on `obj`."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def error_text(error: ValidationError) -> str:
    """All the messages of a ValidationError as one line, for a refusal page."""
    return " ".join(str(m) for m in error.messages)


@dataclass(frozen=True)
class Declaration:
    """Who may open a view; set on the view as `permission_declaration`."""

    perm: str  # a rules permission, or PUBLIC
    load: Callable | None = None
    on: Callable | None = None  # the object the permission is checked on, from the loaded one
    pass_as: str = "obj"
    login: bool = True
    staff: bool = False
    refuse_in_view: bool = False
    refuse: int = 403
    message: str | None = None

    @property
    def is_public(self) -> bool:
        return self.perm == PUBLIC


_second_factor_check: Callable | None = None


def register_second_factor_check(check: Callable) -> None:
    """`check(request)` -> None when the staff member's session may use staff powers, else the
    response to send them (set up TOTP / give a code). Registered by `accounts`."""
    global _second_factor_check
    _second_factor_check = check


def second_factor_redirect(request):
    """None when a staff member's session may use staff powers, else where to send them."""
    if _second_factor_check is None:
        return None
    return _second_factor_check(request)


_second_factor_passed: Callable | None = None


def register_second_factor_passed(passed: Callable) -> None:
    """`passed(request)` -> whether the session of `request` passed the second factor (TOTP
    set up and a code given). Registered by `accounts`."""
    global _second_factor_passed
    _second_factor_passed = passed


def bind_session(request) -> None:
    """Tie `request.user` (lazily, as Django loads it) to `request`, whose session decides
    its staff powers. Called by accounts' middleware on every request."""
    original = request.user

    def load():
        user = original
        if isinstance(original, LazyObject):
            if original._wrapped is empty:
                original._setup()
            user = original._wrapped
        user._second_factor_request = request
        return user

    request.user = SimpleLazyObject(load)


def _is_staff_account(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    )


def staff_powers_withheld(user) -> bool:
    """Whether `user` is an active staff member (or superuser) whose session did not pass the
    second factor: they act as an ordinary member until they give it."""
    if not _is_staff_account(user):
        return False
    withheld = getattr(user, "_staff_powers_withheld", None)
    if withheld is None:
        request = getattr(user, "_second_factor_request", None)
        if request is None or _second_factor_passed is None:
            return False  # not a web request (task, shell, API token): nothing to check
        withheld = not _second_factor_passed(request)
        user._staff_powers_withheld = withheld  # one check per request
    return withheld


def has_staff_powers(user) -> bool:
    """Active staff whose session (if any) passed the second factor; use it instead of
    reading `user.is_staff`."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and not staff_powers_withheld(user)
    )


def without_staff_powers(user):
    """The same person as an ordinary member: a copy of `user` with `is_staff` and
    `is_superuser` False, for evaluating permissions only (never save it)."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    demoted = copy.copy(user)
    for cached in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        demoted.__dict__.pop(cached, None)  # ModelBackend's caches, filled as a superuser
    demoted.is_staff = False
    demoted.is_superuser = False
    demoted._staff_powers_withheld = False
    return demoted


def _refusal(request, declaration: Declaration, kwargs: dict):
    """(response, obj): the response that refuses or redirects the request (None to let it
    through) and the loaded object. Raises Http404 / PermissionDenied like the views did."""
    user = request.user
    if declaration.is_public:
        return None, None
    if declaration.login and not user.is_authenticated:
        return redirect_to_login(request.get_full_path()), None
    if declaration.staff:
        if user.is_authenticated and user.is_staff and user.is_active:
            response = second_factor_redirect(request)
            if response is not None:
                return response, None
        elif not declaration.refuse_in_view:
            raise PermissionDenied(_("You do not have permission to do this."))
    obj = None
    if declaration.load is not None:
        obj = declaration.load(request, **kwargs)
        if obj is None:
            raise Http404
    target = declaration.on(obj) if declaration.on is not None else obj
    if not user.has_perm(declaration.perm, target):  # without staff powers if withheld
        if staff_powers_withheld(user):
            response = second_factor_redirect(request)
            if response is not None:
                return response, None
        if declaration.refuse == 404:
            raise Http404
        raise PermissionDenied(str(declaration.message or DENIED))
    return None, obj


def _declare(target, declaration: Declaration):
    if inspect.isclass(target):
        original = target.dispatch

        @functools.wraps(original)
        def dispatch(self, request, *args, **kwargs):
            response, obj = _refusal(request, declaration, kwargs)
            if response is not None:
                return response
            if declaration.load is not None:
                kwargs[declaration.pass_as] = obj
            return original(self, request, *args, **kwargs)

        target.dispatch = dispatch
        target.permission_declaration = declaration
        return target

    if declaration.is_public:
        target.permission_declaration = declaration
        return target

    @functools.wraps(target)
    def wrapped(request, *args, **kwargs):
        response, obj = _refusal(request, declaration, kwargs)
        if response is not None:
            return response
        if declaration.load is not None:
            kwargs[declaration.pass_as] = obj
        return target(request, *args, **kwargs)

    if declaration.load is not None and declaration.pass_as not in inspect.signature(target).parameters:
        # Found when the URLconf is imported, not on the first request.
        raise TypeError(f"{target.__qualname__} does not take the loaded object as {declaration.pass_as!r}")

    wrapped.permission_declaration = declaration
    return wrapped


def permission(
    perm: str,
    *,
    load: Callable | None = None,
    on: Callable | None = None,
    pass_as: str = "obj",
    login: bool = True,
    refuse: int = 403,
    message: str | None = None,
    staff: bool = False,
    refuse_in_view: bool = False,
):
    """Declare the `rules` permission a view needs (see the module docstring)."""
    if refuse not in (403, 404):
        raise ValueError("refuse must be 403 or 404")
    declaration = Declaration(
        perm=perm,
        load=load,
        on=on,
        pass_as=pass_as,
        login=login,
        staff=staff,
        refuse_in_view=refuse_in_view,
        refuse=refuse,
        message=message,
    )
    return lambda view: _declare(view, declaration)


def staff_page(perm: str, **options):
    """A staff-only page: `permission(perm, staff=True, ...)` (login, 403 for non-staff, second
    factor), the declaration that replaces `staff_mfa_required`."""
    return permission(perm, staff=True, **options)


def signed_in(view):
    """Any signed-in person (the `core.signed_in` rule); anonymous visitors go to the login page."""
    return permission(SIGNED_IN)(view)


def public(view):
    """Anyone may open this page; nothing is checked here."""
    return _declare(view, Declaration(perm=PUBLIC))


def declaration_of(callback) -> Declaration | None:
    """The declaration of a URL pattern's callback (function or Django class view), if any."""
    found = getattr(callback, "permission_declaration", None)
    if found is None:
        view_class = getattr(callback, "view_class", None)
        found = getattr(view_class, "permission_declaration", None)
    return found
