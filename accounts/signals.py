"""Receivers of allauth signals, and what a change of a person's account makes out of date."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from core import navigation


@receiver(authenticator_added)
def count_totp_activation_as_mfa(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes the password (reauthentication) and a valid code from the app, so
    this session has passed the second factor: StaffMFAMiddleware need not ask for a code again."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


# --- what a person sees and may do, kept in the cache: the menu's flags (core.navigation) and the
# model permissions (accounts.backends): their account, groups, permissions, second factor ---


@receiver([post_save, post_delete], sender=settings.AUTH_USER_MODEL)
def _person_changed(sender, instance, **kwargs):
    navigation.touch_people(instance.pk)


@receiver([post_save, post_delete], sender=Group)
@receiver([post_save, post_delete], sender=Permission)
def _group_changed(sender, **kwargs):
    navigation.touch_everyone()  # renamed or deleted: anybody may have been in it or held it


def _memberships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A person's groups or permissions (`user.groups.add(g)`, or from the other side
    `group.user_set.add(u)`)."""
    if not action.startswith("post_"):
        return
    if not reverse:
        navigation.touch_people(instance.pk)
    elif pk_set:
        navigation.touch_people(*pk_set)
    else:
        navigation.touch_everyone()  # `group.user_set.clear()`: whoever was in it


def _group_permissions_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        navigation.touch_everyone()


def connect() -> None:
    user_model = get_user_model()
    m2m_changed.connect(
        _memberships_changed, sender=user_model.groups.through, dispatch_uid="navigation-user-groups"
    )
    m2m_changed.connect(
        _memberships_changed,
        sender=user_model.user_permissions.through,
        dispatch_uid="navigation-user-permissions",
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="navigation-group-permissions",
    )
    navigation.touch_people_on_change(Authenticator, "user")  # the second factor set up or removed
