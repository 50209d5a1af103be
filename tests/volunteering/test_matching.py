"""The matching score: each factor alone, combined, both rankings in one query, and the
explanation in the viewer's language."""

import pytest
from django.utils import translation

from tests.factories import municipality
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, skill
from volunteering.selectors import matching
from volunteering.selectors.matching import (
    W_EXPERTISE,
    W_HOURS,
    W_LANGUAGE,
    W_PLACE,
    W_SKILLS,
    W_TIMES,
    W_ZONE,
)

pytestmark = pytest.mark.django_db

FULL = W_SKILLS + W_PLACE + W_HOURS + W_TIMES + W_LANGUAGE + W_EXPERTISE + W_ZONE


def score(profile, opportunity):
    row = matching.ranked_profiles(opportunity).get(pk=profile.pk)
    mirror = matching.ranked_opportunities(
        profile, queryset=type(opportunity).objects.filter(pk=opportunity.pk)
    ).get()
    assert row.score == pytest.approx(mirror.score)  # both sides compute the same score
    return row


def test_a_perfect_match_scores_100():
    design = skill("design")
    profile = ProfileFactory(skills=[design])
    opportunity = OpportunityFactory(must=[design])
    assert score(profile, opportunity).score == pytest.approx(FULL) == 100


def test_skills_must_haves_weigh_twice():
    a, b, c = skill("design"), skill("writing"), skill("translation")
    opportunity = OpportunityFactory(must=[a, b], nice=[c])
    only_must = ProfileFactory(skills=[a])
    only_nice = ProfileFactory(skills=[c])
    assert score(only_must, opportunity).score == pytest.approx(FULL - W_SKILLS + W_SKILLS * 2 / 5)
    assert score(only_nice, opportunity).score == pytest.approx(FULL - W_SKILLS + W_SKILLS * 1 / 5)


def test_place_same_municipality_or_remote():
    on_site = OpportunityFactory(municipality=municipality("peje"))
    here = ProfileFactory(municipality=municipality("peje"), work_mode="on_site")
    elsewhere = ProfileFactory(municipality=municipality("gjilan"), work_mode="both")
    assert score(here, on_site).place_ok == 1
    assert score(elsewhere, on_site).score == pytest.approx(FULL - W_PLACE)
    remote = OpportunityFactory(remote=True, municipality=None)
    assert score(elsewhere, remote).place_ok == 1
    assert score(ProfileFactory(work_mode="on_site"), remote).score == pytest.approx(FULL - W_PLACE)


def test_availability_hours_and_times():
    opportunity = OpportunityFactory(hours_per_week=10, weekdays=False, evenings=False, weekends=True)
    busy = ProfileFactory(hours_per_week=2, weekdays=True, evenings=False, weekends=False)
    assert score(busy, opportunity).score == pytest.approx(FULL - W_HOURS - W_TIMES)
    free = ProfileFactory(hours_per_week=12, weekends=True)
    assert score(free, opportunity).score == pytest.approx(FULL)


def test_language():
    opportunity = OpportunityFactory(languages=["sr"])
    assert score(ProfileFactory(languages={"sq": 4}), opportunity).score == pytest.approx(FULL - W_LANGUAGE)
    assert score(ProfileFactory(languages={"sr": 1}), opportunity).language_ok == 0  # basic is not enough
    assert score(ProfileFactory(languages={"sr": 3}), opportunity).spoken_language == "sr"


def test_time_zone_only_for_remote_work():
    remote = OpportunityFactory(remote=True, municipality=None)
    near = ProfileFactory(work_mode="remote", utc_offset=0)
    far = ProfileFactory(work_mode="remote", utc_offset=-300)
    very_far = ProfileFactory(work_mode="remote", utc_offset=-480)
    assert score(near, remote).score == pytest.approx(FULL)
    assert score(far, remote).score == pytest.approx(FULL - W_ZONE / 2)
    assert score(very_far, remote).score == pytest.approx(FULL - W_ZONE)
    on_site = OpportunityFactory()
    assert score(ProfileFactory(utc_offset=-480), on_site).zone_points == W_ZONE


def test_expertise_for_expert_requests():
    request = OpportunityFactory(kind="expert_request", expertise="law", brief="Statute review")
    assert score(ProfileFactory(expertise="law"), request).score == pytest.approx(FULL)
    assert score(ProfileFactory(expertise="finance"), request).score == pytest.approx(FULL - W_EXPERTISE)


def test_combined_ranking_and_only_consenting_people():
    a, b = skill("design"), skill("writing")
    opportunity = OpportunityFactory(must=[a, b], municipality=municipality("peje"))
    best = ProfileFactory(skills=[a, b], municipality=municipality("peje"))
    middle = ProfileFactory(skills=[a], municipality=municipality("peje"))
    last = ProfileFactory(skills=[], municipality=municipality("gjilan"), work_mode="on_site")
    hidden = ProfileFactory(skills=[a, b], contact_consent=False)
    ranked = list(matching.ranked_profiles(opportunity))
    assert [p.pk for p in ranked] == [best.pk, middle.pk, last.pk]
    assert hidden.pk not in [p.pk for p in ranked]


def test_open_opportunities_only_for_the_volunteer():
    profile = ProfileFactory()
    shown = OpportunityFactory()
    OpportunityFactory(status="draft")
    OpportunityFactory(status="closed")
    full = OpportunityFactory(places=1)
    full.__class__.objects.filter(pk=full.pk).update(places_filled=1)
    assert [o.pk for o in matching.ranked_opportunities(profile)] == [shown.pk]


def test_explanation_in_the_viewers_language():
    a, b, c = skill("design"), skill("writing"), skill("translation")
    d = skill("teaching")
    opportunity = OpportunityFactory(must=[a, b, c, d], languages=["sr"])
    profile = ProfileFactory(skills=[a, b, c], languages={"sr": 3})
    row = matching.ranked_profiles(opportunity).get(pk=profile.pk)
    with translation.override("en"):
        text = matching.explain(row)
    assert text.startswith("3 of 4 skills")
    assert "same municipality" in text and "speaks Serbian" in text
    with translation.override("sr-latn"):
        assert "govori: srpski" in matching.explain(row).lower()


def test_rankings_are_one_query_whatever_the_rows(django_assert_max_num_queries):
    design = skill("design")
    opportunity = OpportunityFactory(must=[design])
    profile = ProfileFactory(skills=[design])
    for n in (3, 6):
        ProfileFactory.create_batch(n, skills=[design])
        OpportunityFactory.create_batch(n, must=[design])
        with django_assert_max_num_queries(3):  # skills, languages, then the one ranked query
            rows = matching.with_explanations(matching.ranked_profiles(opportunity)[:20])
        assert len(rows) >= n
        with django_assert_max_num_queries(3):
            rows = matching.with_explanations(matching.ranked_opportunities(profile)[:20])
        assert len(rows) >= n
