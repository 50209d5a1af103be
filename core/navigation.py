"""Navbar entries that depend on another app's data.

`core` never imports the component apps: an app registers a *menu flag* from its
`AppConfig.ready()` with `register_menu_flag(name, predicate)`, where `predicate(user)` says
whether a signed-in user sees the entry. `{% site_header %}` (core_tags) hands the flags to
`includes/_main_menu.html` as `flags.<name>` and renders each language and set of flags once
per process. Registration is idempotent per name (a `ready()` may run twice in tests).

The flags of a person are kept in the cache (`core.fragments`), not worked out with queries on
every page: they are filed under the person's topic (`person_topic(user_id)`) and under
`EVERYONE`, and whatever a predicate reads must touch those topics when it changes, so that the
next page shows the change:

- the app that owns the data touches the people a row leads to on every save or delete, with
  `touch_people_on_change(Model, "reviewer")` (a foreign key to the user, or a path through
  relations: `"memberships__user"`), or `touch_people(*user_ids)` where that does not fit
  (bulk `QuerySet.update()` paths, m2m changes);
- a change that may concern anybody and is rare (a group renamed, a group's permissions)
  touches `EVERYONE` (`touch_everyone()`).

Today: accounts (the user row, their groups and permissions, their second factor),
organizations (memberships, an organisation's verification and activity), grants (review
assignments) and assistance (experts). A predicate that reads something else must have it
touched too.

The memo is keyed by what the request's user carries that a predicate may read without a
query (`is_active`, `is_staff`, `is_superuser`) and, for staff accounts, whether this session
passed the second factor (core.permissions: without it `has_perm` answers as for a member).
When the cache does not answer, the flags are worked out as before, on every request.
"""

from collections.abc import Callable

from core import fragments

_flags: dict[str, Callable] = {}

PERSON_TOPIC = "navigation.person.{}"
EVERYONE = "navigation.everyone"
# How long a person's flags are kept when nothing touches them: the bound on what a change that
# touches no topic (a bulk update) can leave in the menu.
FLAGS_SECONDS = 600


def register_menu_flag(name: str, predicate: Callable) -> None:
    _flags[name] = predicate


def person_topic(user_id) -> str:
    return PERSON_TOPIC.format(user_id)


def touch_people(*user_ids) -> None:
    """The menus of these people are out of date (their roles, memberships... changed)."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if ids:
        fragments.touch(*(person_topic(pk) for pk in ids))


def touch_everyone() -> None:
    """Everybody's menu is out of date (a rare change that may concern anybody)."""
    fragments.touch(EVERYONE)


def _compute(user) -> dict[str, bool]:
    return {name: bool(predicate(user)) for name, predicate in _flags.items()}


def menu_flags(user) -> dict[str, bool]:
    """Every registered flag for `user` (all False for visitors), from the cache when nothing
    they depend on changed since they were worked out."""
    if not (user and user.is_authenticated):
        return dict.fromkeys(_flags, False)
    from core.permissions import _is_staff_account, staff_powers_withheld

    session = ("withheld" if staff_powers_withheld(user) else "passed") if _is_staff_account(user) else ""
    parts = [user.pk, user.is_active, user.is_staff, user.is_superuser, session, *sorted(_flags)]
    return fragments.cached(
        "navigation.flags",
        parts,
        topics=[person_topic(user.pk), EVERYONE],
        build=lambda: _compute(user),
        timeout=FLAGS_SECONDS,
    )


def _people(model, paths: tuple[str, ...], instance) -> set:
    """The users `paths` lead to from the row `instance`, as the database has them now (a
    plain foreign key is read from the instance)."""
    found = set()
    query_paths = []
    for path in paths:
        if "__" in path:
            query_paths.append(path)
        else:
            found.add(getattr(instance, model._meta.get_field(path).attname))
    if query_paths and instance.pk is not None:
        rows = model._base_manager.filter(pk=instance.pk).values_list(*query_paths)
        found.update(value for row in rows for value in row)
    return found


def touch_people_on_change(model, *paths: str) -> None:
    """Touch the topics of the people that a row of `model` leads to (`paths`: a foreign key to
    the user, "reviewer", or a path through relations, "memberships__user") whenever a row is
    saved or deleted through the ORM; for a foreign key, also the person it led to before the
    save (a row moved to another person changes both menus). Called from an app's `ready()`;
    bulk paths call `touch_people` themselves."""
    from django.db.models.signals import post_save, pre_delete, pre_save

    uid = f"navigation:{model._meta.label}:{','.join(paths)}"
    keys = [model._meta.get_field(path).attname for path in paths if "__" not in path]

    def before_save(sender, instance, **kwargs):
        if not instance._state.adding and instance.pk is not None:
            rows = model._base_manager.filter(pk=instance.pk).values_list(*keys)
            instance._navigation_people_before = {value for row in rows for value in row}

    def after_save(sender, instance, **kwargs):
        before = instance.__dict__.pop("_navigation_people_before", set())
        touch_people(*before, *_people(model, paths, instance))

    def before_delete(sender, instance, **kwargs):
        touch_people(*_people(model, paths, instance))

    if keys:
        pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(after_save, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=uid)
