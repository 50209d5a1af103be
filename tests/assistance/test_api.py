"""/api/v1/assistance/figures/: partners with a token read aggregate counts; nothing else."""

import pytest

from tests import factories
from tests.assistance.factories import assigned, private_files, submitted  # noqa: F401
from tests.factories import partner_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
URL = "/api/v1/assistance/figures/"


def test_a_partner_token_reads_the_figures(client):
    assigned()
    submitted(title="Confidential title")
    _token, key = partner_token(scopes=[])
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["totals"]["total"] == 2 and data["totals"]["unassigned"] == 1
    assert sum(row["count"] for row in data["by_category"]) == 2
    assert "Confidential title" not in response.content.decode()


def test_without_a_token_is_refused(client):
    assert client.get(URL).status_code == 401
    client.force_login(factories.StaffFactory())
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("months", ["0", "25", "x", ""])
def test_bad_months_is_a_400(client, months):
    _token, key = partner_token(scopes=[])
    assert client.get(URL, {"months": months}, HTTP_AUTHORIZATION=f"Token {key}").status_code == 400


def test_unknown_address_is_a_json_404(client):
    response = client.get("/api/v1/assistance/nothing/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
