"""Grants' side of core.handoffs: a pre-filled draft application from another app's facts."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core import handoffs
from core.models import Municipality
from grants.models import Application
from tests.factories import UserFactory
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db

FACTS = {
    "title": "Parku i lagjes",
    "issue": "Mungon një park.",
    "plan": "Pastrim dhe mbjellje.",
    "result": "120 të rinj u angazhuan.",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_draft_prefilled_for_an_open_call_that_allows_individuals():
    call = CallFactory(allow_organizations=False, allow_groups=False, allow_individuals=True)
    user = UserFactory()
    place = Municipality.objects.get(slug="prizren")
    url = handoffs.create("grants.application_draft", user=user, facts={**FACTS, "municipality_id": place.pk})
    application = Application.objects.get()
    assert url.endswith(f"/applications/{application.pk}/edit/")
    assert (application.call, application.applicant, application.applicant_type) == (call, user, "individual")
    assert application.status == "draft" and application.title == "Parku i lagjes"
    assert "Mungon një park." in application.summary and application.municipality == place


def test_informal_group_when_the_call_does_not_take_individuals():
    CallFactory(allow_organizations=True, allow_groups=True, allow_individuals=False)
    handoffs.create("grants.application_draft", user=UserFactory(), facts=FACTS)
    application = Application.objects.get()
    assert application.applicant_type == "group" and application.group_name == "Parku i lagjes"


def test_no_call_for_individuals_or_groups_is_a_clear_refusal():
    CallFactory(allow_organizations=True, allow_groups=False, allow_individuals=False)
    CallFactory(is_published=False)
    with pytest.raises(ValidationError) as error:
        handoffs.create("grants.application_draft", user=UserFactory(), facts=FACTS)
    assert "No grant call open now" in error.value.messages[0]
    assert not Application.objects.exists()


def test_a_second_draft_to_the_same_call_is_refused_by_grants_own_check():
    CallFactory(allow_organizations=False, allow_groups=False, allow_individuals=True)
    user = UserFactory()
    handoffs.create("grants.application_draft", user=user, facts=FACTS)
    with pytest.raises(ValidationError) as error:
        handoffs.create("grants.application_draft", user=user, facts=FACTS)
    assert "already an application" in error.value.messages[0]
    assert Application.objects.count() == 1
