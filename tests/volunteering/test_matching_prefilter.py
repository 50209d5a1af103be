"""The organisation's page of people (`matching.people_page`) ranks only the candidates that
the score's bound vouches for, and must give exactly the rows of the full ranking
(`ranked_profiles`), page after page, whatever the opportunity: on-site or remote, with or
without skills, an expert request; and junk page numbers are read as `Paginator.get_page`."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.factories import municipality
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, skill
from volunteering.models import VolunteerProfile
from volunteering.selectors import matching

pytestmark = pytest.mark.django_db

SLUGS = ["prishtine", "peje", "gjilan"]


@pytest.fixture
def crowd():
    """60 people of every kind, with distinct "last updated" times (the tie-break)."""
    rng = random.Random(7)
    skills = [
        skill(s) for s in ("design", "writing", "translation", "teaching", "accounting", "legal-advice")
    ]
    places = [municipality(s) for s in SLUGS]
    now = timezone.now()
    for _i in range(60):
        profile = ProfileFactory(
            skills=rng.sample(skills, rng.randint(0, 4)),
            languages={code: rng.randint(1, 4) for code in rng.sample(["sq", "sr", "en"], rng.randint(0, 2))},
            municipality=rng.choice([*places, None]),
            work_mode=rng.choice(["on_site", "remote", "both"]),
            hours_per_week=rng.randint(1, 12),
            weekdays=rng.random() < 0.5,
            evenings=rng.random() < 0.5,
            weekends=rng.random() < 0.5,
            utc_offset=rng.choice([60, 60, 0, -300, -480]),
            expertise=rng.choice(["", "law", "finance"]),
            contact_consent=rng.random() < 0.9,
        )
        VolunteerProfile.objects.filter(pk=profile.pk).update(
            updated_at=now - datetime.timedelta(minutes=rng.randint(0, 5) * 10)  # some ties
        )
    return skills


def _opportunities(skills):
    a, b, c, d = skills[:4]
    return [
        OpportunityFactory(must=[a, b], nice=[c], municipality=municipality("peje")),
        OpportunityFactory(must=[a], languages=["sr", "en"], hours_per_week=6, weekends=True),
        OpportunityFactory(nice=[c, d], remote=True, municipality=None),
        OpportunityFactory(must=[b, d], remote=True, municipality=municipality("gjilan")),
        OpportunityFactory(municipality=municipality("peje")),  # no skill asked
        OpportunityFactory(remote=True, municipality=None, languages=[]),  # no skill, remote
        OpportunityFactory(kind="expert_request", expertise="law", brief="Statute", must=[skills[5]]),
    ]


@pytest.mark.parametrize("per_page", [3, 7])
def test_every_page_is_the_full_rankings_page(crowd, monkeypatch, per_page):
    monkeypatch.setattr(matching, "SMALL_POOL", 0)  # use the tiers even on this little data
    from_candidates = 0
    for opportunity in _opportunities(crowd):
        everyone = [p.pk for p in matching.ranked_profiles(opportunity)]
        assert len(everyone) > 40
        last = -(-len(everyone) // per_page)
        for number in range(1, last + 2):
            with CaptureQueriesContext(connection) as queries:
                page = matching.people_page(opportunity, number, per_page)
            # count, skills, languages, one tier's ids and scores, the page's people by id
            from_candidates += len(queries) == 5
            shown = min(number, last)  # past the end: the last page
            expected = everyone[(shown - 1) * per_page : shown * per_page]
            assert [p.pk for p in page.object_list] == expected, (opportunity.pk, number)
            assert (page.number, page.paginator.count) == (shown, len(everyone))
    assert from_candidates >= 3  # the top pages come from the pre-filtered candidates


def test_a_top_page_is_one_ranking_query_among_the_candidates(monkeypatch):
    monkeypatch.setattr(matching, "SMALL_POOL", 0)
    a, b, c = skill("design"), skill("writing"), skill("translation")
    opportunity = OpportunityFactory(must=[a, b], nice=[c], municipality=municipality("peje"))
    best = ProfileFactory.create_batch(
        4, skills=[a, b, c], municipality=municipality("peje"), hours_per_week=9
    )
    ProfileFactory.create_batch(5, skills=[c], municipality=municipality("gjilan"))
    with CaptureQueriesContext(connection) as queries:
        page = matching.people_page(opportunity, 1, 3)
    # the number of people, the skills asked, the languages, one page of candidates (ids and
    # scores), then those people by id
    assert len(queries) == 5
    assert "UNION" in queries[-2]["sql"].upper()
    assert [p.pk for p in page.object_list] == [p.pk for p in matching.ranked_profiles(opportunity)[:3]]
    assert {p.pk for p in page.object_list} <= {p.pk for p in best}
    rows = matching.with_explanations(page.object_list)
    with translation.override("en"):
        assert matching.explain(rows[0]).startswith("3 of 3 skills, same municipality")


@pytest.mark.parametrize(
    ("asked", "shown"), [("abc", 1), ("-3", 1), ("0", 1), (None, 1), ("2", 2), ("99", 3), ("1" * 40, 3)]
)
def test_junk_page_numbers(asked, shown):
    opportunity = OpportunityFactory()
    ProfileFactory.create_batch(5)
    page = matching.people_page(opportunity, asked, 2)
    assert page.number == shown
    assert len(page.object_list) == (1 if shown == 3 else 2)


def test_a_deep_page_is_the_last_page_of_the_best_candidates(monkeypatch, client, english):
    """?page=999 (or any page past the best MAX_CANDIDATES) showed the last page of everyone,
    which no bound vouches for: a full ranking of every consenting person, sorted to the end.
    Now the list stops at the best MAX_CANDIDATES and a deeper page is its last page."""
    from django.urls import reverse

    from tests.helpers import login
    from tests.volunteering.factories import editor_of

    monkeypatch.setattr(matching, "SMALL_POOL", 0)
    monkeypatch.setattr(matching, "MAX_CANDIDATES", 5)
    opportunity = OpportunityFactory(must=[skill("design")], municipality=municipality("peje"))
    ProfileFactory.create_batch(3, skills=[skill("design")], municipality=municipality("peje"))
    ProfileFactory.create_batch(8, municipality=municipality("gjilan"))
    everyone = [p.pk for p in matching.ranked_profiles(opportunity)]
    windows = []
    real_window = matching.people_window
    monkeypatch.setattr(
        matching,
        "people_window",
        lambda opp, offset, limit, **kw: (
            windows.append((offset, limit)) or real_window(opp, offset, limit, **kw)
        ),
    )
    for asked in ("3", "999", "1" * 40):
        page = matching.people_page(opportunity, asked, 2)
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (3, 5, 3)
        assert [p.pk for p in page.object_list] == everyone[4:5]
    assert set(windows) == {(4, 1)}  # never past the best five
    login(client, editor_of(opportunity.organization))
    response = client.get(reverse("volunteering:candidates", kwargs={"pk": opportunity.pk}), {"page": 999})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1  # 20 a page: the five fit on one
    assert b"Only the 5 best fits are listed." in response.content
