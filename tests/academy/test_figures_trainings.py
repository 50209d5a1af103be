"""The CSO trainings and the self-assessment change in the Academy's figures, exact numbers on
tests/academy/training_figures_world.py: selector, suppression for partners, staff page (and its
query count), the partner API and the yearly report."""

import io

import openpyxl
import pytest

from academy.selectors import figures
from tests.academy import training_figures_world
from tests.academy.test_report import _build, private_media  # noqa: F401 (a fixture)
from tests.factories import StaffFactory, partner_token
from tests.helpers import login

pytestmark = pytest.mark.django_db
URL = "/en/academy/figures/"
API = "/api/v1/academy/figures/"


@pytest.fixture
def world():
    return training_figures_world.build()


def _feedback(block):
    return {row["key"]: row["average"] for row in block["feedback"]}


def test_the_trainings_of_a_year(world):
    block = figures.training_figures(2025)
    assert block["trainings"] == 2
    assert block["organizations"] == 2
    assert block["registered"] == 8 and block["attended"] == 5
    assert block["attendance_rate"] == 62.5
    assert block["feedback_answers"] == 3
    assert _feedback(block) == {"content": 4.33, "facilitation": 3.33, "apply": 4.0}
    change = block["assessment"]
    assert change["organizations"] == 5 and not change["hidden"]
    assert [(r["key"], r["baseline"], r["follow_up"], r["change"]) for r in change["areas"]] == [
        (world["areas"][0].pk, 2.0, 4.2, 2.2),
        (world["areas"][1].pk, 3.0, 3.0, 0.0),
    ]


def test_every_year_counts_only_trainings_held(world):
    block = figures.training_figures(None)
    assert block["trainings"] == 3  # the training to come is left out
    assert block["organizations"] == 3 and block["registered"] == 11 and block["attended"] == 8
    assert block["assessment"]["organizations"] == 6


def test_the_change_is_hidden_below_five_organisations(world):
    block = figures.training_figures(2024)
    assert block["trainings"] == 1 and block["attended"] == 3
    assert block["assessment"] == {"organizations": 1, "minimum": 5, "hidden": True, "areas": []}
    assert figures.training_figures(2019)["assessment"]["organizations"] == 0


def test_suppression_hides_small_counts_and_averages(world):
    block = figures.suppress_trainings(figures.training_figures(2025))
    assert block["trainings"] is None and block["organizations"] is None  # 2 each
    assert block["registered"] == 8 and block["attended"] == 5 and block["attendance_rate"] == 62.5
    assert block["feedback_answers"] is None  # 3 answers: the averages go too
    assert set(_feedback(block).values()) == {None}
    assert block["assessment"]["organizations"] == 5 and len(block["assessment"]["areas"]) == 2
    small = figures.suppress_trainings(figures.training_figures(2024))
    assert small["registered"] is None and small["attendance_rate"] is None
    assert small["assessment"]["organizations"] is None and small["assessment"]["areas"] == []
    empty = figures.suppress_trainings(figures.training_figures(2019))
    assert empty["trainings"] == 0 and empty["registered"] == 0 and empty["attendance_rate"] is None


def test_the_partner_api_has_the_trainings_block(client, world):
    _token, key = partner_token(scopes=[])
    response = client.get(API, {"year": "2025"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200, response.content
    block = response.json()["trainings"]
    assert block["year"] == 2025 and block["trainings"] is None and block["registered"] == 8
    assert block["attendance_rate"] == 62.5 and block["feedback_answers"] is None
    assert block["assessment"]["areas"][0]["change"] == 2.2
    assert "Attendee" not in response.content.decode()  # aggregates only


def test_the_staff_page_shows_the_section(client, world, english):
    login(client, StaffFactory())
    response = client.get(URL, {"year": "2025"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="training-figures"' in body and "Trainings held" in body
    assert response.context["data"]["trainings"]["attendance_rate"] == 62.5
    assert "Area 0" in body and "4.20" in body
    response = client.get(URL, {"year": "2024"})
    assert 'id="assessment-hidden"' in response.content.decode()


def test_the_figures_page_queries_do_not_grow_with_the_trainings(client, django_assert_max_num_queries):
    login(client, StaffFactory())
    training_figures_world.build()
    with django_assert_max_num_queries(30) as first:
        assert client.get(URL, {"year": "2025"}).status_code == 200
    training_figures_world.build()
    training_figures_world.build()
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(URL, {"year": "2025"})
    assert response.context["data"]["trainings"]["registered"] == 24


def test_the_yearly_report_has_the_trainings_section(private_media, django_capture_on_commit_callbacks):  # noqa: F811
    world = training_figures_world.build()
    data = _build("xlsx", {"year": "2025"}, django_capture_on_commit_callbacks)
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    trainings = {r[1]: r[2] for r in rows if r[0] == "CSO capacity trainings"}
    assert trainings == {
        "Trainings held": 2,
        "Organisations trained": 2,
        "People registered": 8,
        "People present": 5,
        "Attendance rate (%)": 62.5,
        "Feedback answers": 3,
    }
    feedback = [r[2] for r in rows if r[0] == "Training feedback (average, 1 to 5)"]
    assert feedback == [4.33, 3.33, 4.0]
    change = {r[1]: r[2] for r in rows if r[0] == "Self-assessment change per area"}
    area = world["areas"][0].name_en
    assert change["Organisations with baseline and follow-up"] == 5
    assert change[f"{area}: baseline"] == 2.0 and change[f"{area}: change"] == 2.2
    assert _build("pdf", {"year": "2025"}, django_capture_on_commit_callbacks)[:4] == b"%PDF"
