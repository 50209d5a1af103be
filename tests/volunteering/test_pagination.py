"""The hours of an engagement and "my volunteering" (its engagements and its applications,
each with its own page parameter) are paginated: page 2 shows the rest, and junk page
parameters give a page (the first, or the last past the end), never an error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import login
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, engagement
from volunteering.models import Application, Engagement, HoursEntry
from volunteering.views.volunteer import HOURS_PAGE_SIZE, PAGE_SIZE

pytestmark = pytest.mark.django_db

JUNK = ["abc", "-3", "0", "", "2.5", "1" * 40, "%00", "[]"]


@pytest.fixture
def hours():
    """An engagement with HOURS_PAGE_SIZE + 3 entries, "day 0" the newest (shown first)."""
    eng, editor, volunteer = engagement()
    eng.created_at = timezone.now() - datetime.timedelta(days=90)
    eng.save(update_fields=["created_at"])
    today = timezone.localdate()
    HoursEntry.objects.bulk_create(
        HoursEntry(engagement=eng, date=today - datetime.timedelta(days=i), hours=1, description=f"day {i}")
        for i in range(HOURS_PAGE_SIZE + 3)
    )
    return eng, editor, volunteer


def _days(response) -> set[int]:
    text = response.content.decode()
    return {i for i in range(HOURS_PAGE_SIZE + 3) if f">day {i}<" in text}


def test_engagement_hours_page_two(client, hours):
    eng, editor, volunteer = hours
    for user in (volunteer, editor):
        login(client, user)
        first = client.get(eng.get_absolute_url())
        assert first.status_code == 200
        assert _days(first) == set(range(HOURS_PAGE_SIZE))
        assert 'rel="next"' in first.content.decode()
        second = client.get(eng.get_absolute_url(), {"page": "2"})
        assert second.status_code == 200
        assert _days(second) == set(range(HOURS_PAGE_SIZE, HOURS_PAGE_SIZE + 3))
        # the confirmed total stays the engagement's, not the page's
        assert second.context["confirmed"] == first.context["confirmed"]


@pytest.mark.parametrize("junk", JUNK)
def test_engagement_hours_junk_page(client, hours, junk):
    eng, _editor, volunteer = hours
    login(client, volunteer)
    response = client.get(eng.get_absolute_url(), {"page": junk})
    assert response.status_code == 200
    expected = 2 if junk == "1" * 40 else 1  # past the end: the last page
    assert response.context["page_obj"].number == expected


@pytest.fixture
def busy_person():
    """A person with PAGE_SIZE + 2 engagements and PAGE_SIZE + 4 applications in all."""
    profile = ProfileFactory()
    now = timezone.now()
    for i in range(PAGE_SIZE + 4):
        opportunity = OpportunityFactory(title=f"Opp {i:02d}")
        accepted = i < PAGE_SIZE + 2
        application = Application.objects.create(
            opportunity=opportunity,
            profile=profile,
            origin="applied",
            status="accepted" if accepted else "applied",
        )
        Application.objects.filter(pk=application.pk).update(created_at=now - datetime.timedelta(hours=i))
        if accepted:
            eng = Engagement.objects.create(application=application, opportunity=opportunity, profile=profile)
            Engagement.objects.filter(pk=eng.pk).update(created_at=now - datetime.timedelta(hours=i))
    return profile


def _titles(rows) -> list[str]:
    return [row.opportunity.title for row in rows]


def test_my_volunteering_pages_each_list_on_its_own(client, busy_person):
    login(client, busy_person.user)
    url = reverse("volunteering:my_volunteering")
    first = client.get(url)
    assert first.status_code == 200
    assert _titles(first.context["engagements"]) == [f"Opp {i:02d}" for i in range(PAGE_SIZE)]
    assert _titles(first.context["applications"]) == [f"Opp {i:02d}" for i in range(PAGE_SIZE)]
    html = first.content.decode()
    assert "?page=2" in html and "?applications_page=2" in html

    engagements_two = client.get(url, {"page": "2"})
    assert _titles(engagements_two.context["engagements"]) == [f"Opp {i:02d}" for i in (20, 21)]
    assert engagements_two.context["applications_page"].number == 1
    # the other list's link keeps this list's page
    assert "page=2&amp;applications_page=2" in engagements_two.content.decode()

    applications_two = client.get(url, {"applications_page": "2"})
    assert _titles(applications_two.context["applications"]) == [f"Opp {i:02d}" for i in range(20, 24)]
    assert applications_two.context["engagements_page"].number == 1


@pytest.mark.parametrize("junk", JUNK)
def test_my_volunteering_junk_pages(client, busy_person, junk):
    login(client, busy_person.user)
    response = client.get(reverse("volunteering:my_volunteering"), {"page": junk, "applications_page": junk})
    assert response.status_code == 200
    expected = 2 if junk == "1" * 40 else 1
    assert response.context["engagements_page"].number == expected
    assert response.context["applications_page"].number == expected


def test_my_volunteering_with_nothing(client):
    profile = ProfileFactory()
    login(client, profile.user)
    response = client.get(reverse("volunteering:my_volunteering"), {"page": "3"})
    assert response.status_code == 200
    assert response.context["engagements_page"].number == 1
