"""core.reminders: a reminder goes once per kind, object and person (the email itself, in the
person's language, is core.notifications' business: tested there)."""

import pytest
from django.db import IntegrityError

from core import reminders
from core.models import EmailOutbox, SentReminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "some/email"


def _context():
    return {"thing": "x"}


@pytest.fixture(autouse=True)
def sent(monkeypatch):
    """The emails queued, as (template, user); a template named "broken" fails to render."""
    queued = []

    def email_user_template(*, template, context, user):
        if template == "broken":
            raise ValueError("cannot render")
        EmailOutbox.objects.create(to=user.email, subject=template, body_text="")
        queued.append((template, user))

    monkeypatch.setattr(reminders, "email_user_template", email_user_template)
    return queued


def test_a_reminder_goes_once(sent):
    user = UserFactory()
    first = reminders.remind_once(
        kind="core.test", object_id=7, user=user, template=TEMPLATE, context=_context()
    )
    second = reminders.remind_once(
        kind="core.test", object_id=7, user=user, template=TEMPLATE, context=_context()
    )
    assert (first, second) == (True, False)
    assert SentReminder.objects.get().kind == "core.test"
    assert sent == [(TEMPLATE, user)] and EmailOutbox.objects.count() == 1
    assert reminders.already_sent("core.test") == {(7, user.pk)}
    assert reminders.already_sent("other.kind") == set()
    assert reminders.already_sent("core.test", object_ids=[7, 8]) == {(7, user.pk)}
    assert reminders.already_sent("core.test", object_ids=[8]) == set()


def test_another_object_or_person_or_kind_is_another_reminder():
    one, two = UserFactory(), UserFactory()
    for kind, object_id, user in [("a.x", 1, one), ("a.x", 2, one), ("a.x", 1, two), ("b.x", 1, one)]:
        assert reminders.remind_once(
            kind=kind, object_id=object_id, user=user, template=TEMPLATE, context=_context()
        )
    assert SentReminder.objects.count() == 4


def test_forget_lets_a_reminder_go_again():
    user = UserFactory()
    for kind in ("a.due", "a.overdue", "a.other"):
        reminders.remind_once(kind=kind, object_id=3, user=user, template=TEMPLATE, context=_context())
    assert reminders.forget(["a.due", "a.overdue"], [3]) == 2
    assert list(SentReminder.objects.values_list("kind", flat=True)) == ["a.other"]
    assert reminders.remind_once(kind="a.due", object_id=3, user=user, template=TEMPLATE, context=_context())


def test_a_failed_email_records_nothing_so_the_next_run_sends_it():
    user = UserFactory()
    assert not reminders.remind_once(
        kind="a.x", object_id=1, user=user, template="broken", context=_context()
    )
    assert not SentReminder.objects.exists() and not EmailOutbox.objects.exists()


def test_the_database_refuses_a_second_row():
    user = UserFactory()
    SentReminder.objects.create(kind="a.x", object_id=1, user=user)
    with pytest.raises(IntegrityError):
        SentReminder.objects.create(kind="a.x", object_id=1, user=user)


def test_in_batches_and_an_empty_batch_reads_nothing(django_assert_num_queries):
    assert list(reminders.in_batches(iter(range(5)), 2)) == [[0, 1], [2, 3], [4]]
    assert list(reminders.in_batches([], 2)) == []
    with django_assert_num_queries(0):
        assert reminders.already_sent("core.test", object_ids=[]) == set()
