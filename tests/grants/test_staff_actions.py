"""The staff page of an application offers only moves it can make (issue 13, item 6): each
button of "What you can do now" leads to its form on the page; no button is a dead `href="#"`
(the applicant's "Withdraw" is not offered to staff, even to a superuser)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import StaffFactory
from tests.grants.test_staff_fixtures import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("superuser", [False, True])
def test_every_action_leads_to_its_form(client, superuser):
    world = build_world()
    staff = StaffFactory(is_superuser=superuser)
    client.force_login(staff)
    with translation.override("en"):
        url = reverse("grants:staff_application", args=[world.application.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="#"' not in body
    nav = body[body.index('aria-label="What you can do now"') :]
    nav = nav[: nav.index("</nav>")]
    anchors = re.findall(r'href="#([^"]+)"', nav)
    assert anchors and all(f'id="{anchor}"' in body for anchor in anchors)
    assert ">Withdraw<" not in nav
