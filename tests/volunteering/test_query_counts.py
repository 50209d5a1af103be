"""Pages that show rows cost the same number of queries whatever the number of rows:
applicants (some accepted), candidates, an engagement with many hours entries,
"my volunteering"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.helpers import login
from tests.volunteering.factories import OpportunityFactory, ProfileFactory, editor_of
from volunteering.models import HoursEntry
from volunteering.services import applications

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm: the menu's flags are worked out once, then kept (core.navigation)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


def _apply(opportunity, editor, n, *, accept):
    for _ in range(n):
        profile = ProfileFactory(visibility="full", languages={"sr": 3})
        application = applications.application_submit(actor=profile.user, opportunity=opportunity)
        if accept:
            applications.application_decide(actor=editor, application=application, accept=True)


def test_applicants_page_is_flat_with_accepted_rows(client):
    opportunity = OpportunityFactory(places=20)
    editor = editor_of(opportunity.organization)
    url = reverse("volunteering:applicants", kwargs={"pk": opportunity.pk})
    login(client, editor)
    _apply(opportunity, editor, 2, accept=True)
    _apply(opportunity, editor, 1, accept=False)
    few = _count(client, url)
    _apply(opportunity, editor, 5, accept=True)
    _apply(opportunity, editor, 3, accept=False)
    assert _count(client, url) == few


def test_candidates_page_is_flat(client):
    opportunity = OpportunityFactory(places=20)
    editor = editor_of(opportunity.organization)
    url = reverse("volunteering:candidates", kwargs={"pk": opportunity.pk})
    login(client, editor)
    ProfileFactory.create_batch(2)
    _apply(opportunity, editor, 1, accept=False)
    few = _count(client, url)
    ProfileFactory.create_batch(6)
    _apply(opportunity, editor, 2, accept=False)
    assert _count(client, url) == few


def test_engagement_page_is_flat_in_its_hours(client):
    opportunity = OpportunityFactory(places=5)
    editor = editor_of(opportunity.organization)
    _apply(opportunity, editor, 1, accept=True)
    engagement = opportunity.engagements.get()
    engagement.created_at = timezone.now() - datetime.timedelta(days=30)
    engagement.save(update_fields=["created_at"])
    today = timezone.localdate()

    def log(n, start):
        for i in range(n):
            HoursEntry.objects.create(
                engagement=engagement,
                date=today - datetime.timedelta(days=start + i),
                hours=1,
                description="x",
            )

    url = engagement.get_absolute_url()
    for user in (editor, engagement.profile.user):
        login(client, user)
        client.get(url)  # the first page after signing in also touches the session
        log(2, 0 if user == editor else 10)
        few = _count(client, url)
        log(6, 2 if user == editor else 12)
        assert _count(client, url) == few


def test_my_volunteering_is_flat(client):
    profile = ProfileFactory()
    login(client, profile.user)
    url = reverse("volunteering:my_volunteering")

    def engage(n):
        for _ in range(n):
            opportunity = OpportunityFactory()
            application = applications.application_submit(actor=profile.user, opportunity=opportunity)
            applications.application_decide(
                actor=editor_of(opportunity.organization), application=application, accept=True
            )

    engage(1)
    few = _count(client, url)
    engage(4)
    assert _count(client, url) == few


def test_engagement_history_shows_the_translated_status(client):
    """The history named the raw status ("completed"), not its label in the reader's language."""
    from django.utils import translation

    from volunteering.services import engagements

    opportunity = OpportunityFactory(places=5)
    editor = editor_of(opportunity.organization)
    _apply(opportunity, editor, 1, accept=True)
    engagement = opportunity.engagements.get()
    engagements.engagement_end(actor=editor, engagement=engagement, completed=True, note="Well done")
    with translation.override("en"):
        html = login(client, editor).get(engagement.get_absolute_url()).content.decode()
    history = html.split("History", 1)[1]
    assert "Completed" in history and ": completed" not in history
