"""Feedback on an ended expert request from both sides (outcome, rating 1–5, would work
together again): once per person (database constraint and a clear 400), not while active,
not on ordinary opportunities, not by strangers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import UserFactory
from tests.volunteering.factories import OpportunityFactory, editor_of, engagement
from volunteering.models import ExpertFeedback
from volunteering.services import engagements

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GOOD = {"outcome": "solved", "rating": 5, "would_work_again": True}


def _ended_request():
    opportunity = OpportunityFactory(kind="expert_request", expertise="law", brief="Statute review")
    eng, editor, expert = engagement(opportunity)
    engagements.engagement_end(actor=editor, engagement=eng, completed=True)
    return eng, editor, expert


def test_both_sides_give_feedback_once():
    eng, editor, expert = _ended_request()
    mine = engagements.feedback_give(actor=expert, engagement=eng, **GOOD)
    theirs = engagements.feedback_give(
        actor=editor, engagement=eng, outcome="partly", rating=3, would_work_again=False
    )
    assert (mine.side, theirs.side) == ("expert", "organization")
    with pytest.raises(ValidationError, match="already given"):
        engagements.feedback_give(actor=expert, engagement=eng, **GOOD)
    other_editor = editor_of(eng.opportunity.organization)
    with pytest.raises(ValidationError, match="This side has already"):
        engagements.feedback_give(actor=other_editor, engagement=eng, **GOOD)
    assert ExpertFeedback.objects.count() == 2


def test_the_database_refuses_a_second_rating_and_a_bad_rating():
    eng, _editor, expert = _ended_request()
    ExpertFeedback.objects.create(
        engagement=eng, author=expert, side="expert", outcome="solved", rating=4, would_work_again=True
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFeedback.objects.create(
            engagement=eng,
            author=expert,
            side="organization",
            outcome="solved",
            rating=4,
            would_work_again=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFeedback.objects.filter(author=expert).update(rating=6)


@pytest.mark.parametrize("rating", [0, 6, "x", None])
def test_rating_must_be_1_to_5(rating):
    eng, _editor, expert = _ended_request()
    with pytest.raises(ValidationError):
        engagements.feedback_give(
            actor=expert, engagement=eng, outcome="solved", rating=rating, would_work_again=True
        )


def test_not_while_active_not_on_opportunities_not_by_strangers():
    request = OpportunityFactory(kind="expert_request", expertise="law", brief="b")
    eng, _editor, expert = engagement(request)
    with pytest.raises(ValidationError, match="once the request is closed"):
        engagements.feedback_give(actor=expert, engagement=eng, **GOOD)
    plain, editor, volunteer = engagement()
    engagements.engagement_end(actor=editor, engagement=plain, completed=True)
    with pytest.raises(ValidationError, match="only on expert requests"):
        engagements.feedback_give(actor=volunteer, engagement=plain, **GOOD)
    ended, _e, _x = _ended_request()
    with pytest.raises(PermissionDenied):
        engagements.feedback_give(actor=UserFactory(), engagement=ended, **GOOD)


def test_views_form_then_400_on_the_second_try(client):
    eng, _editor, expert = _ended_request()
    client.force_login(expert)
    url = reverse("volunteering:feedback_give", kwargs={"pk": eng.pk})
    page = client.get(eng.get_absolute_url())
    assert url in page.content.decode()
    data = {"outcome": "solved", "rating": "4", "would_work_again": "on"}
    assert client.post(url, data).status_code == 302
    assert url not in client.get(eng.get_absolute_url()).content.decode()
    second = client.post(url, data)
    assert second.status_code == 400
    assert "already given your feedback" in second.content.decode()
    bad = client.post(url, {"outcome": "solved", "rating": "9"})
    assert bad.status_code == 400
    assert ExpertFeedback.objects.get().rating == 4


def test_a_stranger_gets_404(client):
    eng, _editor, _expert = _ended_request()
    client.force_login(UserFactory())
    url = reverse("volunteering:feedback_give", kwargs={"pk": eng.pk})
    assert client.post(url, {"outcome": "solved", "rating": "4"}).status_code == 404
