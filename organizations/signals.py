"""What a change of the registry makes out of date beyond the public pages (those are touched
from apps.py, core.page_cache).

- The menu's flags of the people concerned (core.navigation): a membership saved or deleted
  (its role, its person), an organisation saved (verified, deactivated: what its members may do).
- The public pages and lists that show an organisation's sectors (the directory, the API's list):
  its sectors changed (`organization.sectors.set(...)` runs after the organisation's save).
"""

from django.db.models.signals import m2m_changed

from core.fragments import touch
from core.navigation import touch_people_on_change
from core.page_cache import ORGANIZATIONS


def _sectors_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        touch(ORGANIZATIONS)


def connect() -> None:
    from organizations.models import Membership, Organization

    touch_people_on_change(Membership, "user")
    touch_people_on_change(Organization, "memberships__user")
    m2m_changed.connect(
        _sectors_changed, sender=Organization.sectors.through, dispatch_uid="organizations-sectors-touch"
    )
