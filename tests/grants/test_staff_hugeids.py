"""Huge or unknown ids in the URLs are 404s, never 500s."""

import pytest
from django.urls import reverse

from tests.grants.test_staff_fixtures import build_world

pytestmark = pytest.mark.django_db
HUGE = 99999999999999999999


@pytest.mark.parametrize(
    "name,method,kwargs",
    [
        ("staff_application", "get", {"pk": HUGE}),
        ("staff_decide", "post", {"pk": HUGE}),
        ("staff_unassign", "post", {"pk": HUGE, "assignment_pk": HUGE}),
        ("review", "get", {"pk": HUGE}),
        ("review_coi", "post", {"pk": HUGE}),
        ("review_save", "post", {"pk": HUGE}),
    ],
)
def test_huge_ids_are_404(client, name, method, kwargs):
    world = build_world()
    for role in ("staff", "reviewer_assigned"):
        client.force_login(world.users[role])
        response = getattr(client, method)(reverse(f"grants:{name}", kwargs=kwargs))
        assert response.status_code == 404


def test_unassign_huge_assignment_id_is_404(client):
    world = build_world()
    client.force_login(world.users["staff"])
    url = reverse("grants:staff_unassign", kwargs={"pk": world.application.pk, "assignment_pk": HUGE})
    assert client.post(url).status_code == 404
