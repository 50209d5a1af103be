"""The ranking table and the public list of awarded grants are cached fragments
(core.fragments): the next view after any change to what they show is built afresh
(grants.signals), a repeated view costs no query for the rows, and a cache that does not
answer only makes the pages slower."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import update_last_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import fragments
from grants import signals
from grants.choices import ApplicationStatus
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, awarded_grant, submitted_application, verified_cso
from tests.grants.test_staff_ranking import ranked
from tests.helpers import t

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
S = ApplicationStatus


@pytest.fixture
def call():
    return CallFactory(total_budget=Decimal("10000.00"), max_amount=Decimal("5000.00"))


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def ranking(client, call, **params) -> str:
    response = client.get(reverse("grants:ranking", args=[call.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def awarded(client, **params) -> str:
    response = client.get(reverse("grants:awarded_list"), params)
    assert response.status_code == 200
    return response.content.decode()


# --- the ranking table ---------------------------------------------------------------------


def test_a_repeated_view_does_not_query_the_rows_again(staff_client, call):
    ranked(call, score="50", requested="1000")
    url = reverse("grants:ranking", args=[call.slug])
    with CaptureQueriesContext(connection) as first:
        staff_client.get(url)
    with CaptureQueriesContext(connection) as second:
        staff_client.get(url)
    assert any("grants_application" in q["sql"] for q in first.captured_queries)
    assert not any("grants_application" in q["sql"] for q in second.captured_queries)
    assert len(second) < len(first)


def test_a_new_score_reorders_the_table_at_once(staff_client, call):
    low, high = ranked(call, score="50", requested="1000"), ranked(call, score="60", requested="1000")
    html = ranking(staff_client, call)
    assert html.index(high.reference) < html.index(low.reference)
    low.average_score = Decimal("70.00")
    low.save(update_fields=["average_score"])
    html = ranking(staff_client, call)
    assert html.index(low.reference) < html.index(high.reference)


def test_a_newly_submitted_application_appears(staff_client, call):
    ranked(call, score="50", requested="1000")
    ranking(staff_client, call)
    application = submitted_application(call=call)
    assert application.reference in ranking(staff_client, call)


def test_an_award_updates_what_is_committed_and_left(staff_client):
    grant = awarded_grant(amount="4000")
    call = grant.call
    ranking(staff_client, call)
    other = submitted_application(call=call)
    html = ranking(staff_client, call)
    assert other.reference in html
    grant.amount = Decimal("3000.00")
    grant.save(update_fields=["amount"])
    html = ranking(staff_client, call)
    assert "€3,000.00" in html


def test_a_smaller_budget_moves_the_cut_off(staff_client, call):
    app = ranked(call, score="50", requested="4000")
    html = ranking(staff_client, call)
    assert "ranking-cutoff" not in html
    call.total_budget = call.max_amount = Decimal("3000.00")
    call.save(update_fields=["total_budget", "max_amount"])
    html = ranking(staff_client, call)
    assert "ranking-cutoff" in html and app.reference in html


def test_a_renamed_call_and_a_new_budget_show_in_the_header_at_once(staff_client, call):
    ranked(call, score="50", requested="1000")
    with translation.override("en"):
        assert 'Call budget</dt><dd class="col-6 col-md-3">€10,000.00' in ranking(staff_client, call)
    call.title_sq = call.title_sr = call.title_en = "Renamed call"
    call.total_budget = Decimal("12000.00")
    call.save(update_fields=["title_sq", "title_sr", "title_en", "total_budget"])
    with translation.override("en"):
        html = ranking(staff_client, call)
    assert html.count("Renamed call") >= 3  # <title>, breadcrumb, heading
    assert "€12,000.00" in html and "€10,000.00" not in html


def test_renamed_people_and_organisations_show_at_once(staff_client, call):
    organization = verified_cso(name="Old name of the CSO")
    person = UserFactory(full_name="Old Person Name")
    from grants.models import Application

    on_behalf = ranked(call, score="50", requested="1000")
    Application.objects.filter(pk=on_behalf.pk).update(
        applicant_type="organization", organization=organization
    )
    fragments.touch(signals.RANKING.format(call.pk))  # a bulk update touches the topic itself
    individual = ranked(call, score="40", requested="1000")
    individual.applicant = person
    individual.save(update_fields=["applicant"])
    html = ranking(staff_client, call)
    assert "Old name of the CSO" in html and "Old Person Name" in html
    organization.name = "New name of the CSO"
    organization.save()
    person.full_name = "New Person Name"
    person.save(update_fields=["full_name"])
    html = ranking(staff_client, call)
    assert "New name of the CSO" in html and "New Person Name" in html


def test_signing_in_does_not_throw_the_fragments_away(call):
    user = UserFactory()
    before = fragments.tokens(signals.ranking_topics(call.pk))
    update_last_login(None, user)  # what every sign-in saves
    assert fragments.tokens(signals.ranking_topics(call.pk)) == before
    user.full_name = "Someone Else"
    user.save()
    assert fragments.tokens(signals.ranking_topics(call.pk)) != before


def test_each_language_and_page_has_its_own_fragment(client, call):
    for i in range(3):
        ranked(call, score=str(50 + i), requested="1000")
    client.force_login(StaffFactory())
    with translation.override("sq"):
        sq = client.get(reverse("grants:ranking", args=[call.slug])).content.decode()
    html = ranking(client, call)
    assert t("Reviews done / assigned", "sq") in sq
    assert "Reviews done / assigned" in html and t("Reviews done / assigned", "sq") not in html


def test_the_stage_filter_is_part_of_the_fragment(staff_client, call):
    call.two_stage = True
    call.save(update_fields=["two_stage"])
    concept = ranked(call, score="50", requested="1000", stage="concept")
    full = ranked(call, score="40", requested="1000", stage="full")
    assert full.reference in ranking(staff_client, call)
    html = ranking(staff_client, call, stage="concept")
    assert concept.reference in html and full.reference not in html


# --- the public list of awarded grants --------------------------------------------------------


def test_a_new_grant_appears_in_the_public_list(client):
    first = awarded_grant(amount="4000")
    html = awarded(client)
    assert first.application.reference in html
    second = awarded_grant(amount="2500")
    html = awarded(client)
    assert second.application.reference in html
    assert 'id="total-count">2<' in html
    assert "6,500.00" in html


def test_a_repeated_public_view_does_not_query_the_grants(client):
    awarded_grant()
    url = reverse("grants:awarded_list")
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert not any("grants_grant" in q["sql"] for q in second.captured_queries)


def test_a_renamed_recipient_shows_in_the_public_list(client):
    applicant = UserFactory()
    organization = verified_cso(editor=applicant, name="Recipient before")
    awarded_grant(applicant=applicant, applicant_type="organization", organization=organization)
    assert "Recipient before" in awarded(client)
    organization.name = "Recipient after"
    organization.save()
    assert "Recipient after" in awarded(client)


def test_filters_are_part_of_the_public_fragment(client):
    grant = awarded_grant()
    assert grant.application.reference in awarded(client)
    assert grant.application.reference not in awarded(client, q="no such words anywhere")


# --- no cache --------------------------------------------------------------------------------


def test_pages_work_when_the_cache_does_not_answer(staff_client, call):
    app = ranked(call, score="50", requested="1000")
    grant = awarded_grant()
    with mock.patch.object(fragments, "cache") as broken:
        broken.get_many.side_effect = ConnectionError("redis down")
        broken.set_many.side_effect = ConnectionError("redis down")
        assert app.reference in ranking(staff_client, call)
        assert grant.application.reference in awarded(staff_client)
        app.average_score = Decimal("60.00")
        app.save(update_fields=["average_score"])  # touching does not fail either
        assert app.reference in ranking(staff_client, call)


def test_searches_and_odd_urls_are_never_kept(client):
    awarded_grant()
    with mock.patch.object(fragments.cache, "set", wraps=fragments.cache.set) as stored:
        for params in ({"q": "anything"}, {"utm_source": "x"}, {"page": "-1"}, {"page": "abc"}):
            assert client.get(reverse("grants:awarded_list"), params).status_code == 200
        assert not any("grants.awarded_list" in call.args[0] for call in stored.call_args_list)
        client.get(reverse("grants:awarded_list"), {"page": "999"})  # every page is kept (issue 18)
        assert any("grants.awarded_list" in call.args[0] for call in stored.call_args_list)


def test_odd_page_numbers_never_fail(staff_client, call):
    ranked(call, score="50", requested="1000")
    awarded_grant()
    for page in ("²", "٣", "0", "-1", "1" * 40, "abc"):
        assert ranking(staff_client, call, page=page)
        assert awarded(staff_client, page=page)
