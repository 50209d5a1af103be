"""One support per person and comment also when the same person presses "Support" several
times at once (PostgreSQL: the unique constraint decides, the others get a clear refusal);
the rate limit of comments holds under concurrent posts (the consultation's row lock)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from dialogue.models import CommentSupport, ConsultationComment
from dialogue.services import consultations as services
from tests import factories
from tests.dialogue.factories import ConsultationFactory, consultation_comment, consultation_section
from tests.dialogue.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_supporting_at_once_counts_once():
    comment = consultation_comment(consultation_section(ConsultationFactory()))
    user = factories.UserFactory()
    results, errors = race(*(lambda: services.comment_support(comment=comment, actor=user) for _ in range(4)))
    assert CommentSupport.objects.filter(comment=comment, user=user).count() == 1
    assert sum(r is not None for r in results) == 1
    refused = [e for e in errors if e is not None]
    assert len(refused) == 3
    assert all(isinstance(e, ValidationError) and e.code == "already_supported" for e in refused)


def test_the_rate_limit_holds_under_concurrent_comments(monkeypatch):
    monkeypatch.setattr(services, "RATE_MAX_COMMENTS", 2)
    section = consultation_section(ConsultationFactory())
    user = factories.UserFactory()
    _results, errors = race(
        *(lambda n=n: services.comment_create(section=section, actor=user, body=f"c{n}") for n in range(5))
    )
    assert ConsultationComment.objects.filter(author=user).count() == 2
    assert all(e is None or isinstance(e, services.TooManyComments) for e in errors)


def test_the_rate_limit_holds_under_concurrent_comments_on_different_consultations(monkeypatch):
    """The limit counts one person's comments on every consultation together, so one
    consultation's row lock is not enough: the person's own row serialises their comments.
    The count is slowed down so that, unserialised, every racer would see none yet."""
    import time

    monkeypatch.setattr(services, "RATE_MAX_COMMENTS", 2)
    original = services.recent_comment_count

    def slow(actor, now):
        value = original(actor, now)
        time.sleep(0.2)
        return value

    monkeypatch.setattr(services, "recent_comment_count", slow)
    sections = [consultation_section(ConsultationFactory()) for _ in range(5)]
    user = factories.UserFactory()
    _results, errors = race(
        *(lambda s=s: services.comment_create(section=s, actor=user, body="c") for s in sections)
    )
    assert ConsultationComment.objects.filter(author=user).count() == 2
    assert all(e is None or isinstance(e, services.TooManyComments) for e in errors), errors
