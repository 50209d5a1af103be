"""The four newer apps' public lists are kept for visitors (core.page_cache) and a change of their
data shows at the next request in every language — also on the pages of other apps that show
it: an organisation's profile (open opportunities, commitments) and a Strategy measure's page."""

import pytest
from django.urls import reverse
from django.utils import translation

from core.page_cache import HEADER
from tests.academy.factories import make_cohort
from tests.assistance.factories import KnowledgeEntryFactory
from tests.dialogue.factories import CommitmentFactory, EventFactory
from tests.volunteering.factories import OpportunityFactory, VerifiedOrganizationFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ("sq", "sr-latn", "en")
TOKEN_MARKERS = ("csrfmiddlewaretoken", "X-CSRFToken")


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _kept(client, page) -> str:
    first, second = client.get(page), client.get(page)
    assert first.status_code == second.status_code == 200, page
    assert (first[HEADER], second[HEADER]) == ("miss", "hit"), page
    text = second.content.decode()
    assert not any(marker in text for marker in TOKEN_MARKERS), page
    return text


def _shows_at_once(client, name, make, marker):
    """Every language's copy is kept, then a new row shows at the very next request."""
    for language in LANGUAGES:
        assert marker not in _kept(client, url(name, language))
    make()
    for language in LANGUAGES:
        response = client.get(url(name, language))
        assert response[HEADER] == "miss" and marker in response.content.decode(), (name, language)


def test_opportunities(client):
    OpportunityFactory(title="Opportunity One")
    _shows_at_once(
        client,
        "volunteering:opportunity_list",
        lambda: OpportunityFactory(title="Brand New Chance"),
        "Brand New Chance",
    )


def test_events_and_the_commitments_tracker(client):
    EventFactory()
    _shows_at_once(
        client,
        "dialogue:event_list",
        lambda: EventFactory(title_sq="Tryezë e re", title_sr="Tryezë e re", title_en="Tryezë e re"),
        "Tryezë e re",
    )
    _shows_at_once(
        client,
        "dialogue:tracker",
        lambda: CommitmentFactory(what="Hapja e qendrës rinore"),
        "Hapja e qendrës rinore",
    )


def test_knowledge_base(client):
    _shows_at_once(
        client,
        "assistance:knowledge_list",
        lambda: KnowledgeEntryFactory(
            question_sq="Pyetje e re", question_sr="Pyetje e re", question_en="Pyetje e re"
        ),
        "Pyetje e re",
    )


def test_cohorts(client):
    def new_cohort():
        cohort = make_cohort()
        cohort.title_sq = cohort.title_sr = cohort.title_en = "Kohorta X"
        cohort.save()

    _shows_at_once(client, "academy:cohort_list", new_cohort, "Kohorta X")


def test_an_organisations_profile_shows_a_new_opportunity_at_once(client):
    organization = VerifiedOrganizationFactory()
    for language in LANGUAGES:
        _kept(client, url("organizations:detail", language, slug=organization.slug))
    OpportunityFactory(organization=organization, title="Fresh Opportunity")
    for language in LANGUAGES:
        response = client.get(url("organizations:detail", language, slug=organization.slug))
        assert response[HEADER] == "miss" and "Fresh Opportunity" in response.content.decode()
