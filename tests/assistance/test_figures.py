"""Staff figures: workload per expert, overdue, monthly counts per category, partner and
municipality; the export of requests (core.reports) carries no confidential text."""

from datetime import date

import pytest
from django.urls import reverse

from assistance.exports import COLUMNS, request_rows
from assistance.models import HelpRequest
from assistance.selectors import figures
from assistance.services import requests as services
from core import reports
from tests import factories
from tests.assistance.factories import ExpertFactory, answered, assigned, private_files, submitted  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]


@pytest.fixture
def data():
    lawyer = ExpertFactory()
    mentor = ExpertFactory(categories=["fundraising"])
    late = assigned(expert=lawyer)
    HelpRequest.objects.filter(pk=late.pk).update(due_on=date(2020, 1, 1))
    done = answered(expert=lawyer)
    services.request_rate(actor=done.requester, request=done, score=4, solved=True)
    assigned(expert=mentor, category="fundraising")
    submitted()
    return lawyer, mentor


def test_workload_per_expert(data):
    lawyer, mentor = data
    rows = {e.pk: e for e in figures.expert_workload()}
    assert (rows[lawyer.pk].open_count, rows[lawyer.pk].overdue_count, rows[lawyer.pk].answered_count) == (
        1,
        1,
        1,
    )
    assert rows[lawyer.pk].average_rating == 4
    assert (rows[mentor.pk].open_count, rows[mentor.pk].overdue_count) == (1, 0)
    totals = figures.totals()
    assert (totals["total"], totals["unassigned"], totals["overdue"], totals["answered"]) == (4, 1, 1, 1)


def test_monthly_figures(data):
    lawyer, _mentor = data
    by_category = figures.monthly_table("category")
    assert dict((label, total) for label, _counts, total in by_category["rows"]) == {
        "Legal advice": 3,
        "Fundraising mentoring": 1,
    }
    by_partner = figures.monthly_table("partner")
    assert dict((label, total) for label, _c, total in by_partner["rows"])[lawyer.organization.name] == 2
    assert sum(total for _l, _c, total in figures.monthly_table("municipality")["rows"]) == 4


@pytest.mark.parametrize("role,expected", [("staff", 200), ("citizen", 403), ("expert", 403)])
def test_figures_page_for_staff_only(client, data, role, expected):
    user = {"staff": factories.StaffFactory(), "citizen": factories.UserFactory(), "expert": data[0].user}[
        role
    ]
    client.force_login(user)
    response = client.get(reverse("assistance:figures"))
    assert response.status_code == expected
    if expected == 200:
        assert data[0].user.full_name in response.content.decode()


def test_the_page_runs_a_flat_number_of_queries(client, data, django_assert_max_num_queries):
    client.force_login(factories.StaffFactory())
    with django_assert_max_num_queries(15):
        client.get(reverse("assistance:figures"))
    for _ in range(5):
        assigned(expert=ExpertFactory())
    with django_assert_max_num_queries(15):
        client.get(reverse("assistance:figures"))


def test_export_is_registered_for_staff_and_holds_no_text(data):
    report = reports.get("assistance.requests")
    assert report.permission == "assistance.manage_requests"
    total, rows = request_rows({}, None)
    rows = list(rows)
    assert total == 4 and len(rows) == 4 and all(len(r) == len(COLUMNS) for r in rows)
    flat = " ".join(str(v) for r in rows for v in r)
    assert "Si ta regjistrojmë" not in flat and "Përgjigjja" not in flat
