"""The trust survey: once per registration and moment (a second answer is a clear 400, and
the database refuses it too), only people with a place, the aggregation per sector and the
privacy threshold (nothing shown under 5 answers, never one person's answers)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dialogue import selectors
from dialogue.choices import Audience, RegistrationStatus
from dialogue.models import Registration, TrustAnswer
from dialogue.services import trust as services
from tests import factories
from tests.dialogue.factories import EventFactory, sector
from tests.helpers import login

pytestmark = pytest.mark.django_db

ALL_FOUR = {a.value: 4 for a in Audience}


def running_event():
    """An event that started an hour ago (both surveys open)."""
    start = timezone.now() - timedelta(hours=1)
    return EventFactory(
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        registration_opens_at=start - timedelta(days=5),
        registration_closes_at=start - timedelta(hours=1),
    )


def attendee(event, status=RegistrationStatus.ATTENDED):
    user = factories.UserFactory()
    cso = event.sectors.first() or sector(event, places=50)
    Registration.objects.create(event=event, sector=cso, user=user, name="P", email=user.email, status=status)
    return user


def answer(event, user, moment="before", **scores):
    return services.trust_answer(event=event, actor=user, moment=moment, scores={**ALL_FOUR, **scores})


def test_once_per_moment_and_constraint(english):
    event = running_event()
    user = attendee(event)
    answer(event, user, "before")
    with pytest.raises(ValidationError) as exc:
        answer(event, user, "before")
    assert exc.value.code == "already_answered"
    answer(event, user, "after")
    assert TrustAnswer.objects.count() == 2
    first = TrustAnswer.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrustAnswer.objects.create(
            event=event,
            registration=first.registration,
            moment="before",
            **{f: 3 for f in ("trust_cso", "trust_citizens", "trust_private", "trust_public", "trust_media")},
        )


def test_second_answer_by_page_is_400(client, english):
    event = running_event()
    user = attendee(event)
    url = reverse("dialogue:trust_survey", kwargs={"pk": event.pk, "moment": "before"})
    client = login(client, user)
    assert client.get(url).status_code == 200
    assert client.post(url, ALL_FOUR).status_code == 302
    response = client.post(url, ALL_FOUR)
    assert response.status_code == 400 and "already answered" in response.content.decode()
    assert TrustAnswer.objects.count() == 1
    bad = client.post(
        reverse("dialogue:trust_survey", kwargs={"pk": event.pk, "moment": "after"}), {"cso": 9}
    )
    assert bad.status_code == 400 and TrustAnswer.objects.count() == 1
    assert (
        client.get(reverse("dialogue:trust_survey", kwargs={"pk": event.pk, "moment": "x"})).status_code
        == 404
    )


def test_only_people_with_a_place_and_open_moments(english):
    event = running_event()
    with pytest.raises(ValidationError) as exc:
        answer(event, factories.UserFactory())
    assert exc.value.code == "not_registered"
    with pytest.raises(ValidationError):
        answer(event, attendee(event, RegistrationStatus.CANCELLED))
    upcoming = EventFactory()
    user = attendee(upcoming, RegistrationStatus.REGISTERED)
    with pytest.raises(ValidationError) as exc:
        answer(upcoming, user, "after")
    assert exc.value.code == "survey_closed"
    with pytest.raises(ValidationError) as exc:
        answer(upcoming, user, "before", cso=6)
    assert exc.value.code == "bad_score"
    answer(upcoming, user, "before")


def test_aggregation_per_sector():
    event = running_event()
    for n in range(5):
        user = attendee(event)
        answer(event, user, "before", cso=n + 1, media=2)  # cso 1..5: average 3
        answer(event, user, "after", cso=5, media=3)
    barometer = selectors.trust_barometer(event)
    rows = {row.audience: row for row in barometer["rows"]}
    assert (rows["cso"].before, rows["cso"].after, rows["cso"].change) == (3.0, 5.0, 2.0)
    assert (rows["media"].before, rows["media"].after) == (2.0, 3.0)
    assert rows["public"].before == 4.0
    assert barometer["before_count"] == barometer["after_count"] == 5


def test_privacy_threshold(client):
    event = running_event()
    users = [attendee(event) for _ in range(5)]
    for user in users[:4]:
        answer(event, user, "before", cso=1)
    answer(event, users[0], "after", cso=5)
    assert selectors.trust_barometer(event) is None
    response = client.get(event.get_absolute_url())
    assert response.context["trust"] is None and 'id="trust-h"' not in response.content.decode()
    assert client.get(reverse("dialogue:trust_barometer")).context["barometers"] == []
    answer(event, users[4], "before", cso=1)
    barometer = selectors.trust_barometer(event)
    rows = {row.audience: row for row in barometer["rows"]}
    # "before" has 5 answers and is shown; "after" has 1 and stays hidden.
    assert rows["cso"].before == 1.0 and rows["cso"].after is None
    assert barometer["after_count"] is None
    response = client.get(event.get_absolute_url())
    assert 'id="trust-h"' in response.content.decode()
    assert len(client.get(reverse("dialogue:trust_barometer")).context["barometers"]) == 1


def test_barometer_page_query_count(client, django_assert_max_num_queries):
    for _ in range(3):
        event = running_event()
        for _ in range(5):
            answer(event, attendee(event), "before")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dialogue:trust_barometer"))
    assert len(response.context["barometers"]) == 3


@pytest.mark.parametrize(
    "who,expected", [("anonymous", 302), ("stranger", 200), ("attendee", 200), ("staff", 200)]
)
def test_survey_page_permissions(client, who, expected):
    event = running_event()
    users = {
        "anonymous": None,
        "stranger": factories.UserFactory(),
        "attendee": attendee(event),
        "staff": factories.StaffFactory(),
    }
    url = reverse("dialogue:trust_survey", kwargs={"pk": event.pk, "moment": "before"})
    assert login(client, users[who]).get(url).status_code == expected
    if who in ("stranger", "staff"):  # no place at the event: the page says so, a POST is refused
        assert client.post(url, ALL_FOUR).status_code == 400
    assert TrustAnswer.objects.count() == 0


def test_survey_of_draft_event_is_404(client):
    event = EventFactory(status="draft")
    url = reverse("dialogue:trust_survey", kwargs={"pk": event.pk, "moment": "before"})
    assert login(client, factories.UserFactory()).get(url).status_code == 404
