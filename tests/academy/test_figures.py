"""The Academy's figures on a small fixture (tests/academy/figures_world.py), exact numbers:
selector, staff page (filters, junk input, query counts, permissions)."""

import pytest
from django.urls import reverse

from academy.selectors import figures
from tests.academy import figures_world
from tests.factories import StaffFactory, UserFactory
from tests.helpers import login

pytestmark = pytest.mark.django_db
URL = "/en/academy/figures/"


@pytest.fixture
def world():
    return figures_world.build()


def _by_key(rows):
    return {row["key"]: row["count"] for row in rows}


def test_figures_of_everything(world):
    data = figures.figures(figures.Filters())
    assert data["totals"] == {
        "cohorts": 2,
        "participants": 8,
        "attendance_rate": 73.5,  # 25 present of 34 (6×5 + 2×2 sessions held)
        "completed": 3,
        "completion_rate": 37.5,
        "projects": 3,
        "finished_projects": 1,
        "peers_mobilised": 42,
        "certificates": 1,  # the revoked one does not count
    }
    assert _by_key(data["by_gender"]) == {
        "woman": 2,
        "man": 3,
        "other": 1,
        "undisclosed": 1,
        "not_recorded": 1,
    }
    assert _by_key(data["by_age_group"]) == {"under_18": 2, "18_24": 5, "25_29": 0, "30_plus": 1}
    assert _by_key(data["by_municipality"]) == {"prishtine": 3, "prizren": 2, "gjilan": 2, "peje": 1}
    assert [(r["year"], r["participants"]) for r in data["by_year"]] == [(2024, 2), (2023, 6)]
    a, b = world["a"], world["b"]
    rows = {r["cohort"]: r for r in data["by_cohort"]}
    assert rows[a.pk] | {"title": ""} == {
        "cohort": a.pk,
        "title": "",
        "year": 2023,
        "participants": 6,
        "attendance_rate": 73.3,  # 22 of 30
        "completed": 2,
        "completion_rate": 33.3,
        "projects": 2,
        "finished_projects": 1,
        "peers_mobilised": 37,
        "certificates": 1,
    }
    assert rows[b.pk]["attendance_rate"] == 75.0  # the planned session is not held yet
    assert rows[b.pk]["completed"] == 1  # 2 of 3 sessions ≥ 50 %, no project needed
    assert rows[b.pk]["completion_rate"] == 50.0


def test_figures_per_year_and_per_cohort(world):
    year = figures.figures(figures.Filters(year=2024))
    assert year["totals"]["participants"] == 2 and year["totals"]["peers_mobilised"] == 5
    assert _by_key(year["by_municipality"]) == {"gjilan": 2}
    cohort = figures.figures(figures.Filters(cohort=world["a"]))
    assert cohort["totals"]["participants"] == 6 and cohort["totals"]["certificates"] == 1
    assert _by_key(cohort["by_gender"])["man"] == 1
    nothing = figures.figures(figures.Filters(year=2030))
    assert nothing["totals"]["participants"] == 0 and nothing["totals"]["attendance_rate"] is None
    assert nothing["by_cohort"] == [] and nothing["by_municipality"] == []


def test_suppression_hides_small_cells(world):
    data = figures.suppress(figures.figures(figures.Filters()))
    totals = data["totals"]
    assert totals["participants"] == 8 and totals["peers_mobilised"] == 42
    assert totals["completed"] is None and totals["certificates"] is None and totals["projects"] is None
    assert totals["attendance_rate"] == 73.5
    assert _by_key(data["by_gender"]) == dict.fromkeys(
        ["woman", "man", "other", "undisclosed", "not_recorded"]
    )
    small = next(r for r in data["by_cohort"] if r["cohort"] == world["b"].pk)
    assert (
        small["participants"] is None
        and small["attendance_rate"] is None
        and small["completion_rate"] is None
    )


# --- the staff page ---------------------------------------------------------------------------


def test_staff_page_shows_the_figures(client, world, english):
    response = login(client, StaffFactory()).get(URL, {"year": "2023"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="total-participants">6<' in page
    assert "73.3" in page and "Yearly academy report" in page and 'value="academy.yearly_report"' in page


def test_staff_page_filters_by_cohort(client, world):
    response = login(client, StaffFactory()).get(URL, {"cohort": str(world["b"].pk)})
    assert response.status_code == 200
    assert response.context["data"]["totals"]["participants"] == 2


@pytest.mark.parametrize(
    "query",
    [
        {"year": "x"},
        {"year": "1999"},
        {"year": "²"},
        {"year": "20245"},
        {"year": "-2024"},
        {"year": "abc"},
        {"year": "99999"},
        {"year": "-1"},
        {"year": "0"},
        {"cohort": "abc"},
        {"cohort": "0"},
        {"cohort": "999999"},
        {"cohort": "99999999999999999999"},
        {"cohort": "1.5"},
    ],
)
def test_junk_filters_are_a_400_with_the_reason(client, world, english, query):
    response = login(client, StaffFactory()).get(URL, query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A year between 2000 and 2100." in page or "Choose a cohort from the list." in page


def test_blank_filters_mean_everything(client, world):
    response = login(client, StaffFactory()).get(URL, {"year": "", "cohort": ""})
    assert response.status_code == 200 and response.context["data"]["totals"]["participants"] == 8


@pytest.mark.parametrize("role", ["anonymous", "citizen", "participant", "staff_no_2fa"])
def test_only_staff_with_the_second_factor_open_the_page(client, world, monkeypatch, role):
    staff = StaffFactory()
    people = {
        "anonymous": None,
        "citizen": UserFactory(),
        "participant": world["p"][0].applicant,
        "staff_no_2fa": staff,
    }
    if role == "staff_no_2fa":
        monkeypatch.setattr("accounts.middleware.staff_mfa_satisfied", lambda request: False)
    response = login(client, people[role]).get(URL)
    if role == "anonymous":
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
    elif role == "staff_no_2fa":
        assert response.status_code == 302 and "/2fa/" in response["Location"]
    else:
        assert response.status_code == 403


def test_figures_page_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries):
    staff = StaffFactory()
    login(client, staff)
    figures_world.build()
    with django_assert_max_num_queries(20) as first:
        assert client.get(URL).status_code == 200
    figures_world.build()
    figures_world.build()
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(URL)
    assert response.context["data"]["totals"]["participants"] == 24
