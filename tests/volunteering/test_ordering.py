"""Open opportunities are listed by deadline, soonest first, and those without a deadline
last, on PostgreSQL and on SQLite alike (SQLite puts NULL first unless told: `make run`'s
database showed another order than production's)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tests.volunteering.factories import OpportunityFactory, ProfileFactory
from volunteering.selectors import matching
from volunteering.selectors.opportunities import organization_open_opportunities

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    today = timezone.localdate()
    undated = OpportunityFactory(title="No deadline", deadline=None)
    later = OpportunityFactory(title="In a month", deadline=today + datetime.timedelta(days=30))
    sooner = OpportunityFactory(
        title="In three days", deadline=today + datetime.timedelta(days=3), organization=later.organization
    )
    undated.organization = later.organization
    undated.save(update_fields=["organization"])
    return [sooner, later, undated]


def test_the_public_list_shows_opportunities_without_a_deadline_last_on_every_database(client, three):
    with translation.override("en"):
        html = client.get(reverse("volunteering:opportunity_list")).content.decode()
    positions = [html.index(opportunity.title) for opportunity in three]
    assert positions == sorted(positions)


def test_the_api_lists_opportunities_without_a_deadline_last_on_every_database(three):
    results = APIClient().get("/api/v1/volunteering/opportunities/").json()["results"]
    assert [row["id"] for row in results] == [opportunity.pk for opportunity in three]


def test_an_organisations_open_opportunities_and_the_ranking_put_no_deadline_last_on_every_database(three):
    assert organization_open_opportunities(three[0].organization) == three
    profile = ProfileFactory()  # the three fit them equally: the deadline decides
    ranked = list(matching.ranked_opportunities(profile))
    assert len({round(row.score, 6) for row in ranked}) == 1
    assert ranked == three
    best = matching.best_for_many(
        [profile], matching.scoring_facts(matching.open_opportunities()), limit=3, min_score=0
    )
    assert [opportunity for opportunity, _score in best[profile.pk]] == three
