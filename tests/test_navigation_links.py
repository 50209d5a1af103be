"""A person finds every capability from the pages they already use."""

import pytest
from django.urls import reverse

from organizations.models import Membership
from tests.factories import OrganizationFactory, StaffFactory, UserFactory, member_of

pytestmark = pytest.mark.django_db


def test_manage_page_links_to_the_organisations_transparency_pages(client):
    org = OrganizationFactory()
    client.force_login(member_of(org, Membership.Role.EDITOR))
    html = client.get(reverse("organizations:manage", kwargs={"slug": org.slug})).content.decode()
    assert reverse("transparency:report_mine", kwargs={"slug": org.slug}) in html
    assert reverse("transparency:badge_status", kwargs={"slug": org.slug}) in html


def test_giving_dashboard_offers_each_visitor_what_they_may_do(client):
    url = reverse("giving:dashboard")
    html = client.get(url).content.decode()
    assert reverse("giving:report_gift") in html
    assert reverse("giving:record_add") not in html and reverse("giving:moderation") not in html

    client.force_login(UserFactory())  # a citizen: no organisation to act for
    html = client.get(url).content.decode()
    assert reverse("giving:my_records") in html and reverse("giving:record_add") not in html

    client.force_login(StaffFactory())
    html = client.get(url).content.decode()
    for name in ("record_add", "import_upload", "moderation"):
        assert reverse(f"giving:{name}") in html


def test_dialogue_events_link_to_partnerships_and_trust_barometer(client):
    html = client.get(reverse("dialogue:event_list")).content.decode()
    assert reverse("dialogue:partnership_list") in html and reverse("dialogue:trust_barometer") in html
