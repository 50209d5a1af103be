"""A person's page of opportunities (`matching.opportunities_page`) ranks ids and parts in one
narrow query, then fetches the page's opportunities by id: it must give exactly the rows of
the full ranking (`ranked_opportunities`), page after page, with the same parts and
explanations, in a number of queries that does not grow with the rows; junk page numbers are
read as `Paginator.get_page`."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import municipality
from tests.helpers import login
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, skill
from volunteering.selectors import matching

pytestmark = pytest.mark.django_db

# The annotations a ranked row carries: what `explain` reads, and the score.
PARTS = (
    "must_total",
    "nice_total",
    "must_hit",
    "nice_hit",
    "same_municipality",
    "remote_fit",
    "place_ok",
    "hours_ok",
    "times_ok",
    "language_ok",
    "spoken_language",
    "expertise_ok",
    "zone_points",
    "zone_diff",
    "is_remote_opportunity",
    "is_expert",
    "score",
)


@pytest.fixture
def opportunities():
    """40 open opportunities of every kind."""
    rng = random.Random(11)
    skills = [skill(s) for s in ("design", "writing", "translation", "teaching", "accounting")]
    places = [municipality(s) for s in ("prishtine", "peje", "gjilan")]
    for _i in range(40):
        needs = rng.sample(skills, rng.randint(0, 4))
        expert = rng.random() < 0.2
        OpportunityFactory(
            must=needs[:2],
            nice=needs[2:],
            languages=rng.sample(["sq", "sr", "en"], rng.randint(0, 2)),
            municipality=rng.choice([*places, None]),
            remote=rng.random() < 0.4,
            hours_per_week=rng.randint(1, 12),
            weekdays=rng.random() < 0.5,
            evenings=rng.random() < 0.5,
            weekends=rng.random() < 0.3,
            kind="expert_request" if expert else "opportunity",
            expertise=rng.choice(["law", "finance"]) if expert else "",
            brief="Statute" if expert else "",
        )
    return skills


def _people(skills):
    return [
        ProfileFactory(skills=skills[:3], languages={"sr": 3, "en": 4}, municipality=municipality("peje")),
        ProfileFactory(skills=[], languages={}, work_mode="remote", utc_offset=-300, expertise="law"),
        ProfileFactory(skills=skills[3:], languages={"sq": 1}, work_mode="both", hours_per_week=3),
    ]


@pytest.mark.parametrize("per_page", [4, 9])
def test_every_page_is_the_full_rankings_page(opportunities, per_page):
    for profile in _people(opportunities):
        everyone = list(matching.ranked_opportunities(profile))
        assert len(everyone) == 40
        last = -(-len(everyone) // per_page)
        for number in range(1, last + 2):
            page = matching.opportunities_page(profile, number, per_page)
            shown = min(number, last)  # past the end: the last page
            expected = everyone[(shown - 1) * per_page : shown * per_page]
            assert [o.pk for o in page.object_list] == [o.pk for o in expected], (profile.pk, number)
            assert (page.number, page.paginator.count) == (shown, len(everyone))
            for row, full in zip(page.object_list, expected, strict=True):
                assert {part: getattr(row, part) for part in PARTS} == {
                    part: getattr(full, part) for part in PARTS
                }
                with translation.override("en"):
                    assert matching.explain(row) == matching.explain(full)


def test_a_page_is_two_ranking_queries_whatever_the_rows(opportunities):
    profile = _people(opportunities)[0]
    for n in (3, 6):
        OpportunityFactory.create_batch(n, must=opportunities[:1])
        with CaptureQueriesContext(connection) as queries:
            rows = matching.with_explanations(matching.opportunities_page(profile, 1, 20).object_list)
            assert {row.organization.name for row in rows}  # selected with the rows
            assert all(row.municipality_id is None or row.municipality.name for row in rows)
        # the number, the skills, the languages, the ranked ids and parts, the page's rows
        assert len(queries) == 5
        assert len(rows) == 20


def test_the_page_of_matches_shows_the_ranking(client, opportunities):
    profile = _people(opportunities)[0]
    best = list(matching.ranked_opportunities(profile)[:2])
    with translation.override("en"):
        html = login(client, profile.user).get(reverse("volunteering:my_matches")).content.decode()
    for row in matching.with_explanations(best):
        assert row.title in html


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", 1), ("-3", 1), ("0", 1), (None, 1), ("2", 2), ("99", 3), ("1" * 40, 3)]
)
def test_junk_page_numbers(asked, shown):
    profile = ProfileFactory()
    OpportunityFactory.create_batch(5)
    page = matching.opportunities_page(profile, asked, 2)
    assert page.number == shown
    assert len(page.object_list) == (1 if shown == 3 else 2)


def test_no_opportunity_gives_an_empty_first_page():
    page = matching.opportunities_page(ProfileFactory(), 3, 10)
    assert (page.number, list(page.object_list), page.paginator.count) == (1, [], 0)
