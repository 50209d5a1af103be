"""/api/v1/academy/figures/: any active partner token reads aggregates with small cells hidden;
the schema documents it; junk parameters are 400s."""

import pytest

from tests.academy import figures_world
from tests.factories import StaffFactory, partner_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/academy/figures/"


@pytest.fixture
def world():
    return figures_world.build()


def _get(client, params=None):
    _token, key = partner_token(scopes=[])
    return client.get(URL, params or {}, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_partner_token_reads_aggregates_with_small_cells_hidden(client, world):
    names = [p.applicant.full_name for p in world["p"]] + [p.applicant.email for p in world["p"]]
    response = _get(client)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {
        "filters",
        "totals",
        "by_municipality",
        "by_gender",
        "by_age_group",
        "by_cohort",
        "by_year",
        "trainings",
    }
    assert data["filters"] == {"year": None, "cohort": None}
    assert data["totals"]["participants"] == 8 and data["totals"]["attendance_rate"] == 73.5
    assert data["totals"]["completed"] is None  # 3: hidden
    assert data["totals"]["peers_mobilised"] == 42
    assert {r["key"]: r["count"] for r in data["by_age_group"]} == {
        "under_18": None,
        "18_24": 5,
        "25_29": 0,
        "30_plus": None,
    }
    assert all(r["count"] is None for r in data["by_municipality"])
    body = response.content.decode()
    for name in names:  # aggregates only: nobody's name, email, reference or birth date
        assert name not in body
    assert world["p"][0].reference not in body and "date_of_birth" not in body


def test_filters_by_year_and_cohort(client, world):
    data = _get(client, {"year": "2023"}).json()
    assert data["filters"]["year"] == 2023 and data["totals"]["participants"] == 6
    data = _get(client, {"cohort": str(world["b"].pk)}).json()
    assert data["filters"]["cohort"] == world["b"].pk
    assert data["totals"]["participants"] is None and data["totals"]["attendance_rate"] is None


def test_an_unknown_or_draft_cohort_is_a_404(client, world):
    assert _get(client, {"cohort": "999999"}).status_code == 404
    type(world["b"]).objects.filter(pk=world["b"].pk).update(status="draft")
    response = _get(client, {"cohort": str(world["b"].pk)})
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_without_a_token_is_refused(client):
    assert client.get(URL).status_code == 401
    client.force_login(StaffFactory())
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"year": ""},
        {"year": "x"},
        {"year": "1999"},
        {"year": "2101"},
        {"year": "²"},
        {"year": "abc"},
        {"year": "99999"},
        {"year": "-1"},
        {"year": "0"},
        {"cohort": ""},
        {"cohort": "0"},
        {"cohort": "-1"},
        {"cohort": "abc"},
        {"cohort": "99999999999999999999"},
    ],
)
def test_junk_parameters_are_a_400(client, world, params):
    response = _get(client, params)
    assert response.status_code == 400, response.content
    assert set(response.json()) <= {"year", "cohort"}


def test_unknown_address_is_a_json_404(client):
    response = client.get("/api/v1/academy/nothing/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_the_schema_documents_the_endpoint_and_the_suppression(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/academy/figures/"]["get"]
    assert "Small cells are suppressed" in operation["description"]
    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert {p["name"] for p in operation["parameters"]} >= {"year", "cohort"}
