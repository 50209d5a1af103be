"""A person's model permissions (Django's ModelBackend) kept in the cache.

Every page that asks `has_perm` for a permission that `rules` does not grant (the directory's
export button, the giving dashboard's buttons, the admin) reaches ModelBackend, which reads
the person's own and their groups' permissions: two queries on every such page. They are kept
in the cache (core.fragments) under the person's topic and `navigation.EVERYONE`
(core.navigation), which accounts/signals.py touches on every change through the ORM: the
person saved, their groups or permissions (from either side), a group renamed or deleted or
its permissions changed, a permission row saved or deleted. The key holds `is_superuser`, so a
staff member whose session did not pass the second factor (evaluated without staff powers,
core.permissions) has their own entry. When the cache does not answer, they are read as before.

The backend sits just before ModelBackend in AUTHENTICATION_BACKENDS and authenticates nobody:
sessions keep naming the backend that signed them in (ModelBackend, allauth's), and a session
is valid only while its backend is listed. It fills the attributes in which ModelBackend (and
allauth's backend, a ModelBackend too) keep a user's permissions for the request, so they read
them from there and make no query.
"""

from django.contrib.auth.backends import ModelBackend

from core import fragments, navigation

PERMISSIONS_SECONDS = 600  # the bound on what a change that touches no topic (a bulk update) leaves


class CachedPermissionsBackend:
    """Answers `has_perm` as ModelBackend does, from the cache. Not a ModelBackend subclass: it
    has no `get_user`, so that `login()` and the test client's `force_login` never pick it."""

    model_backend = ModelBackend()

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):

            def build() -> tuple[frozenset, frozenset]:
                return (
                    frozenset(self.model_backend.get_user_permissions(user_obj)),
                    frozenset(self.model_backend.get_group_permissions(user_obj)),
                )

            own, of_groups = fragments.cached(
                "auth.permissions",
                [user_obj.pk, user_obj.is_superuser],
                topics=[navigation.person_topic(user_obj.pk), navigation.EVERYONE],
                build=build,
                timeout=PERMISSIONS_SECONDS,
            )
            # Where ModelBackend keeps them for the request (it reads them from there).
            user_obj._user_perm_cache = set(own)
            user_obj._group_perm_cache = set(of_groups)
            user_obj._perm_cache = {*own, *of_groups}
        return user_obj._perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and any(
            perm[: perm.index(".")] == app_label for perm in self.get_all_permissions(user_obj)
        )
