"""The Strategy monitoring API: public objectives with progress and measures with status."""

import pytest
from rest_framework.test import APIClient

from organizations.models import Organization
from tests import factories
from transparency.choices import CommentStatus, MeasureStatus
from transparency.models import MeasureComment, StrategyMeasure, StrategyObjective

pytestmark = pytest.mark.django_db

OBJECTIVES = "/api/v1/transparency/strategy/objectives/"
MEASURES = "/api/v1/transparency/strategy/measures/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def plan():
    office = factories.OrganizationFactory(
        name="Zyra", slug="zyra", kind=Organization.Kind.PUBLIC_INSTITUTION, registration_number=""
    )
    o1 = StrategyObjective.objects.create(
        code="O1", title_sq="Një", title_sr="Jedan", title_en="One", ordering=1
    )
    o2 = StrategyObjective.objects.create(
        code="O2", title_sq="Dy", title_sr="Dva", title_en="Two", ordering=2
    )
    m1 = StrategyMeasure.objects.create(
        objective=o1,
        code="1.1",
        title_sq="a",
        title_sr="a",
        title_en="a",
        responsible_institution=office,
        status=MeasureStatus.IMPLEMENTED,
        evidence_links=["https://example.org/x"],
    )
    StrategyMeasure.objects.create(
        objective=o1, code="1.2", title_sq="b", title_sr="b", title_en="b", status="late"
    )
    StrategyMeasure.objects.create(objective=o2, code="2.1", title_sq="c", title_sr="c", title_en="c")
    user = factories.UserFactory()
    MeasureComment.objects.create(measure=m1, author=user, body="ok", status=CommentStatus.APPROVED)
    MeasureComment.objects.create(measure=m1, author=user, body="wait")
    return {"office": office, "m1": m1}


def test_objectives_with_progress(api, plan):
    response = api.get(OBJECTIVES)
    assert response.status_code == 200
    first = response.data["results"][0]
    assert first["code"] == "O1"
    assert first["progress"] == {"total": 2, "not_started": 0, "in_progress": 0, "implemented": 1, "late": 1}
    detail = api.get(f"{OBJECTIVES}O2/")
    assert detail.status_code == 200 and detail.data["progress"]["total"] == 1
    assert api.get(f"{OBJECTIVES}NOPE/").status_code == 404


def test_measures_with_status_and_filters(api, plan):
    response = api.get(MEASURES)
    assert response.status_code == 200 and response.data["count"] == 3
    m1 = response.data["results"][0]
    assert m1["code"] == "1.1" and m1["status"] == "implemented" and m1["objective"] == "O1"
    assert m1["responsible_institution"] == {"name": "Zyra", "slug": "zyra"}
    assert m1["evidence_links"] == ["https://example.org/x"]
    assert m1["approved_comments"] == 1  # pending comments are not counted
    assert api.get(MEASURES, {"status": "late"}).data["count"] == 1
    assert api.get(MEASURES, {"objective": "O2"}).data["count"] == 1
    assert api.get(MEASURES, {"institution": "zyra"}).data["count"] == 1
    assert api.get(MEASURES, {"status": "exploded"}).status_code == 400
    assert api.get(f"{MEASURES}1.2/").data["status"] == "late"
    assert api.get(f"{MEASURES}9.9/").status_code == 404


def test_strategy_api_is_read_only(api, plan):
    assert api.post(MEASURES, {}, format="json").status_code == 405


def test_measure_list_query_count(api, plan, django_assert_max_num_queries):
    objective = StrategyObjective.objects.get(code="O2")

    def seed(n, start):
        for i in range(n):
            StrategyMeasure.objects.create(
                objective=objective,
                code=f"2.{start + i}",
                title_sq="x",
                title_sr="x",
                title_en="x",
                responsible_institution=factories.OrganizationFactory(kind="public", registration_number=""),
            )

    seed(3, 10)
    with django_assert_max_num_queries(6) as small:
        api.get(MEASURES)
        api.get(OBJECTIVES)
    seed(20, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get(MEASURES)
        api.get(OBJECTIVES)
