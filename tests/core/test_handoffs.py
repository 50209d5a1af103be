"""core.handoffs: one app creates a draft in another by name, never by import."""

import pytest
from django.core.exceptions import ValidationError

from core import handoffs


@pytest.fixture
def receiver(monkeypatch):
    monkeypatch.setattr(handoffs, "_RECEIVERS", {})
    calls = []

    def create(*, user, facts):
        if facts.get("refuse"):
            raise ValidationError("Nothing fits.")
        facts["changed"] = True  # the sender's dict is not touched
        calls.append((user, facts))
        return "/draft/1/"

    handoffs.register("tests.draft", create=create)
    return calls


def test_a_registered_receiver_creates_the_draft_and_gives_its_url(receiver):
    facts = {"title": "Park"}
    assert handoffs.is_registered("tests.draft")
    assert handoffs.create("tests.draft", user="ana", facts=facts) == "/draft/1/"
    assert receiver == [("ana", {"title": "Park", "changed": True})]
    assert facts == {"title": "Park"}


def test_a_refusal_reaches_the_sender_and_an_unknown_name_is_a_lookup_error(receiver):
    with pytest.raises(ValidationError, match="Nothing fits"):
        handoffs.create("tests.draft", user="ana", facts={"refuse": True})
    assert not handoffs.is_registered("tests.nothing")
    with pytest.raises(LookupError):
        handoffs.create("tests.nothing", user="ana", facts={})


def test_the_apps_register_their_receivers():
    assert handoffs.is_registered("grants.application_draft")
    assert handoffs.is_registered("volunteering.opportunity_draft")
