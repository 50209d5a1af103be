"""The ranking table: order, running totals (in the database, across pages), the budget
cut-off, the stage filter and its query count."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grants import selectors
from grants.choices import ApplicationStatus, Stage
from grants.models import Application, Grant
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus
_numbers = count(1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def ranked(call, *, score, requested, status=S.UNDER_REVIEW, stage=Stage.FULL, done=2, assigned=3):
    return Application.objects.create(
        call=call,
        applicant=UserFactory(),
        applicant_type="individual",
        status=status,
        stage=stage,
        reference=f"CEA-2099-{next(_numbers):04d}",
        title=f"Project {score}",
        requested_amount=Decimal(requested),
        average_score=None if score is None else Decimal(score),
        reviews_done=done,
        reviews_assigned=assigned,
    )


@pytest.fixture
def table():
    call = CallFactory(total_budget=Decimal("10000.00"), max_amount=Decimal("5000.00"))
    approved = ranked(call, score="90", requested="2500", status=S.APPROVED)
    Grant.objects.create(application=approved, call=call, amount=Decimal("2000.00"))
    apps = {
        "approved": approved,
        "a": ranked(call, score="85", requested="3000"),
        "b": ranked(call, score="85", requested="2000", status=S.SUBMITTED),
        "c": ranked(call, score="70", requested="4000"),
        "d": ranked(call, score=None, requested="1000", done=0),
        "e": ranked(call, score="60", requested="500"),
    }
    # not in the table
    ranked(call, score="99", requested="100", status=S.WITHDRAWN)
    ranked(call, score="99", requested="100", status=S.REJECTED)
    ranked(call, score="99", requested="100", status=S.CHANGES_REQUESTED)
    ranked(CallFactory(), score="99", requested="100")
    return call, apps


def test_order_and_running_totals(table, django_assert_num_queries):
    call, apps = table
    with django_assert_num_queries(1):
        rows = list(selectors.ranking(call))
    order = [apps[k].pk for k in ("approved", "b", "a", "c", "e", "d")]
    assert [r.pk for r in rows] == order
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]
    # approved requests are counted in the committed total, not again in the running total
    assert [r.running_total for r in rows] == [
        Decimal(x) for x in ("0", "2000", "5000", "9000", "9500", "10500")
    ]


def test_page_shows_cutoff_and_budget(client, table):
    call, apps = table
    client.force_login(StaffFactory())
    response = client.get(reverse("grants:ranking", args=[call.slug]))
    assert response.status_code == 200
    rows = response.context["rows"]
    by_pk = {r.pk: r for r in rows}
    assert by_pk[apps["b"].pk].total_with_committed == Decimal("4000")
    assert by_pk[apps["a"].pk].within_budget and by_pk[apps["b"].pk].within_budget
    assert not by_pk[apps["c"].pk].within_budget
    assert [r.pk for r in rows if r.is_cutoff] == [apps["c"].pk]
    html = response.content.decode()
    assert html.count("ranking-cutoff") == 1
    assert html.index("ranking-cutoff") < html.index(apps["c"].reference)
    assert html.index(apps["a"].reference) < html.index("ranking-cutoff")
    assert "€11,000.00" in html  # 2,000 awarded + 9,000 requested so far at the cut-off
    assert "8,000.00" in html  # left of the budget


def test_running_total_carries_across_pages(client, table, monkeypatch):
    call, apps = table
    monkeypatch.setattr("grants.views.staff.PAGE_SIZE", 2)
    client.force_login(StaffFactory())
    response = client.get(reverse("grants:ranking", args=[call.slug]), {"page": 2})
    rows = list(response.context["rows"])
    assert [r.pk for r in rows] == [apps["a"].pk, apps["c"].pk]
    assert [r.rank for r in rows] == [3, 4]
    assert rows[1].total_with_committed == Decimal("11000") and rows[1].is_cutoff
    response = client.get(reverse("grants:ranking", args=[call.slug]), {"page": 3})
    assert [r.running_total for r in response.context["rows"]] == [Decimal("9500"), Decimal("10500")]
    assert not any(r.is_cutoff for r in response.context["rows"])


def test_stage_filter_of_two_stage_calls(client):
    call = CallFactory(two_stage=True, full_proposal_closes_at=timezone.now() + timedelta(days=60))
    concept = ranked(call, score="50", requested="1000", stage=Stage.CONCEPT)
    full = ranked(call, score="40", requested="1000", stage=Stage.FULL)
    assert [a.pk for a in selectors.ranking(call, stage=Stage.CONCEPT)] == [concept.pk]
    assert [a.pk for a in selectors.ranking(call)] == [concept.pk, full.pk]
    client.force_login(StaffFactory())
    response = client.get(reverse("grants:ranking", args=[call.slug]), {"stage": Stage.FULL})
    assert [r.pk for r in response.context["rows"]] == [full.pk]
    assert client.get(reverse("grants:ranking", args=[call.slug]), {"stage": "nope"}).status_code == 200


def test_query_count_does_not_grow(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = CallFactory()
    for i in range(3):
        ranked(call, score=str(50 + i), requested="1000")
    client.force_login(StaffFactory())
    url = reverse("grants:ranking", args=[call.slug])
    client.get(url)  # warm: the menu's flags are worked out once, then kept (core.navigation)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for i in range(9):
        ranked(call, score=str(10 + i), requested="1000")
    client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(first.captured_queries) == len(second.captured_queries)


def test_a_page_past_the_end_shows_the_last_page(client, table):
    call, _apps = table
    client.force_login(StaffFactory())
    response = client.get(reverse("grants:ranking", args=[call.slug]), {"page": "99"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.pk for r in rows] == [a.pk for a in selectors.ranking(call)]
    assert all(hasattr(r, "within_budget") for r in rows)
