"""What a change of the registry makes out of date beyond the public pages (those are touched
from apps.py, core.page_cache).

- The menu's flags of the people concerned (core.navigation): a membership saved or deleted
  (its role, its person), an organisation saved (verified, deactivated: what its members may do).
"""

from core.navigation import touch_people_on_change


def connect() -> None:
    from organizations.models import Membership, Organization

    touch_people_on_change(Membership, "user")
    touch_people_on_change(Organization, "memberships__user")
