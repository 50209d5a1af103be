"""The alumni directory: completed participants opt in and out from their academy page; the
public, paginated, cached directory shows only those who opted in."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from academy.services import alumni
from tests.academy import figures_world
from tests.factories import UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db
DIRECTORY = "/en/academy/alumni/"


@pytest.fixture
def world():
    return figures_world.build()


def _listing(client, participant, listed, user=None):
    login(client, user or participant.applicant)
    return client.post(reverse("academy:alumni_listing", args=[participant.pk]), {"listed": listed})


def test_a_completed_participant_opts_in_and_out(client, world, english):
    p1 = world["p"][0]  # completed, led "Parku"
    page = login(client, p1.applicant).get(reverse("academy:sessions", args=[p1.cohort_id])).content.decode()
    assert "Join the alumni directory" in page
    response = _listing(client, p1, "1")
    assert response.status_code == 302
    p1.refresh_from_db()
    assert p1.alumni_listed and p1.alumni_listed_at is not None
    client.logout()
    response = client.get(DIRECTORY)
    page = response.content.decode()
    assert p1.applicant.full_name in page and "Parku" in page and p1.municipality.name_en in page
    response = _listing(client, p1, "0")
    p1.refresh_from_db()
    assert response.status_code == 302 and not p1.alumni_listed and p1.alumni_listed_at is None
    client.logout()
    assert p1.applicant.full_name not in client.get(DIRECTORY).content.decode()


def test_opting_in_twice_changes_nothing(world):
    p1 = world["p"][0]
    alumni.alumni_listing_set(actor=p1.applicant, participant=p1, listed=True)
    first = type(p1).objects.get(pk=p1.pk).alumni_listed_at
    alumni.alumni_listing_set(actor=p1.applicant, participant=p1, listed=True)
    assert type(p1).objects.get(pk=p1.pk).alumni_listed_at == first


def test_who_did_not_complete_cannot_opt_in(client, world, english):
    p3 = world["p"][2]  # 3 of 5 sessions
    with pytest.raises(ValidationError):
        alumni.alumni_listing_set(actor=p3.applicant, participant=p3, listed=True)
    response = _listing(client, p3, "1")
    assert response.status_code == 409
    assert "Only participants who completed" in response.content.decode()
    p3.refresh_from_db()
    assert not p3.alumni_listed


def test_nobody_else_opts_someone_in(client, world):
    p1 = world["p"][0]
    for user in (UserFactory(), world["p"][1].applicant, world["q"][0].applicant):
        assert _listing(client, p1, "1", user=user).status_code == 404
    p1.refresh_from_db()
    assert not p1.alumni_listed
    client.logout()
    response = client.post(reverse("academy:alumni_listing", args=[p1.pk]), {"listed": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("academy:alumni_listing", args=[p1.pk])).status_code in (302, 405)


@pytest.mark.parametrize("pk", ["abc", "0", "99999999999999999999"])
def test_junk_ids_are_404(client, world, pk):
    login(client, UserFactory())
    assert client.post(f"/en/academy/participants/{pk}/alumni/", {"listed": "1"}).status_code == 404


def test_the_directory_is_paginated_cached_and_bounded_in_queries(client, django_assert_max_num_queries):
    from academy.models import Cohort

    cohort = Cohort.objects.create(
        year=2022,
        title_sq="Kohorta",
        places=50,
        applications_open_at="2021-01-01T00:00:00Z",
        applications_close_at="2021-02-01T00:00:00Z",
        starts_on=date(2021, 3, 1),
        status="finished",
    )
    for n in range(30):
        p = figures_world.person(
            cohort, gender="", slug="prishtine", born=date(2000, 1, 1), name=f"Alumna {n:02d}"
        )
        type(p).objects.filter(pk=p.pk).update(alumni_listed=True)
    with django_assert_max_num_queries(8) as first:
        response = client.get(DIRECTORY)
    queries = len(first.captured_queries)  # the next request resets the log
    assert response.status_code == 200 and response.content.decode().count("Alumna ") == 24
    assert client.get(DIRECTORY, {"page": "2"}).content.decode().count("Alumna ") == 6
    assert client.get(DIRECTORY, {"page": "junk"}).status_code == 200
    cached = client.get(DIRECTORY)
    assert cached["X-Page-Cache"] == "hit"
    for n in range(30, 40):
        p = figures_world.person(
            cohort, gender="", slug="prizren", born=date(2000, 1, 1), name=f"Alumna {n:02d}"
        )
        type(p).objects.filter(pk=p.pk).update(alumni_listed=True)
    with django_assert_max_num_queries(queries):
        assert client.get(DIRECTORY, {"page": "2"}).status_code == 200
