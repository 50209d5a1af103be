"""Volunteering's side of core.handoffs: a pre-filled draft opportunity from another app's
facts, only for an editor of a verified organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import handoffs
from core.models import Municipality
from tests.factories import OrganizationFactory, UserFactory
from tests.volunteering.factories import VerifiedOrganizationFactory, editor_of, viewer_of
from volunteering.models import Opportunity

pytestmark = pytest.mark.django_db

FACTS = {"title": "Parku i lagjes", "issue": "Mungon një park.", "plan": "Pastrim.", "result": "120 të rinj."}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_editor_of_a_verified_organisation_gets_a_prefilled_draft():
    organization = VerifiedOrganizationFactory()
    user = editor_of(organization)
    place = Municipality.objects.get(slug="prizren")
    url = handoffs.create(
        "volunteering.opportunity_draft", user=user, facts={**FACTS, "municipality_id": place.pk}
    )
    opportunity = Opportunity.objects.get()
    assert url.endswith(f"/opportunities/{opportunity.pk}/edit/")
    assert opportunity.status == "draft" and opportunity.organization == organization
    assert opportunity.title == "Parku i lagjes" and "Mungon një park." in opportunity.description
    assert opportunity.municipality == place and not opportunity.remote


def test_without_a_municipality_the_draft_is_remote():
    user = editor_of(VerifiedOrganizationFactory())
    handoffs.create("volunteering.opportunity_draft", user=user, facts=FACTS)
    assert Opportunity.objects.get().remote


@pytest.mark.parametrize("who", ["nobody", "viewer", "unverified"])
def test_anyone_else_gets_a_clear_message_and_nothing_is_created(who):
    user = UserFactory()
    if who == "viewer":
        user = viewer_of(VerifiedOrganizationFactory())
    elif who == "unverified":
        user = editor_of(OrganizationFactory())
    with pytest.raises(ValidationError) as error:
        handoffs.create("volunteering.opportunity_draft", user=user, facts=FACTS)
    assert "editor of an organisation verified by KCSF" in error.value.messages[0]
    assert not Opportunity.objects.exists()
