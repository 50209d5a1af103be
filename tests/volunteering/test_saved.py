"""Saving an opportunity: the toggle (double submits harmless, drafts 404, bad input 400),
the saved list (paginated, flat query count), and sign-in required."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.volunteering.factories import OpportunityFactory
from volunteering.models import SavedOpportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _toggle(client, opportunity, value):
    return client.post(reverse("volunteering:saved_toggle", kwargs={"pk": opportunity.pk}), {"saved": value})


def test_save_twice_and_remove(client):
    user = UserFactory()
    client.force_login(user)
    opportunity = OpportunityFactory()
    assert _toggle(client, opportunity, "1").status_code == 302
    assert _toggle(client, opportunity, "1").status_code == 302
    assert SavedOpportunity.objects.filter(user=user).count() == 1
    page = client.get(opportunity.get_absolute_url())
    assert b'name="saved" value="0"' in page.content
    listing = client.get(reverse("volunteering:saved_list"))
    assert opportunity.title in listing.content.decode()
    assert _toggle(client, opportunity, "0").status_code == 302
    assert not SavedOpportunity.objects.exists()


def test_bad_value_is_a_clear_400(client):
    client.force_login(UserFactory())
    response = _toggle(client, OpportunityFactory(), "maybe")
    assert response.status_code == 400
    assert "Choose to save or to remove." in response.content.decode()


def test_a_draft_of_someone_else_is_404(client):
    client.force_login(UserFactory())
    assert _toggle(client, OpportunityFactory(status="draft"), "1").status_code == 404
    assert not SavedOpportunity.objects.exists()


def test_anonymous_must_sign_in(client):
    opportunity = OpportunityFactory()
    assert _toggle(client, opportunity, "1").status_code == 302
    assert client.get(reverse("volunteering:saved_list")).status_code == 302
    assert not SavedOpportunity.objects.exists()


def test_saved_list_query_count_is_flat(client, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(12):
        SavedOpportunity.objects.create(user=user, opportunity=OpportunityFactory())
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("volunteering:saved_list")).status_code == 200
