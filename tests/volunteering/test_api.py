"""The volunteering API: open opportunities for anyone (drafts, closed and full ones hidden),
aggregate confirmed hours for partner tokens only."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import partner_token
from tests.volunteering.factories import OpportunityFactory, engagement, skill
from volunteering.services import engagements

pytestmark = pytest.mark.django_db


def test_open_opportunities_are_public(django_assert_max_num_queries):
    shown = OpportunityFactory(must=[skill("design")], nice=[skill("writing")], languages=["sq", "sr"])
    OpportunityFactory(status="draft")
    OpportunityFactory(status="closed")
    client = APIClient()
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/volunteering/opportunities/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [shown.pk]
    assert results[0]["must_have_skills"] == ["design"] and results[0]["languages"] == ["sq", "sr"]
    assert client.get(f"/api/v1/volunteering/opportunities/{shown.pk}/").status_code == 200
    assert client.get("/api/v1/volunteering/opportunities/abc/").status_code == 404


def test_hours_figures_need_a_token_and_add_up_confirmed_hours():
    eng, editor, volunteer = engagement()
    entry = engagements.hours_log(
        actor=volunteer, engagement=eng, date=timezone.localdate(), hours="2.5", description="x"
    )
    engagements.hours_confirm(actor=editor, entry=entry)
    engagements.hours_log(
        actor=volunteer, engagement=eng, date=timezone.localdate(), hours="1", description="y"
    )
    client = APIClient()
    assert client.get("/api/v1/volunteering/hours/").status_code in (401, 403)
    _token, key = partner_token(["read"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    rows = client.get("/api/v1/volunteering/hours/", {"group": "municipality"}).json()
    assert rows == [{"key": "prishtine", "volunteers": 1, "hours": "2.50"}]
    month = client.get("/api/v1/volunteering/hours/", {"group": "month"}).json()
    assert month[0]["key"] == timezone.localdate().strftime("%Y-%m")
    assert client.get("/api/v1/volunteering/hours/", {"group": "nope"}).status_code == 400
    assert client.get("/api/v1/volunteering/hours/", {"year": "20x"}).status_code == 400


@pytest.mark.parametrize("year", ["²", "２０２６", "1999", "99999999999999999999", "-2026", " 2026"])
def test_hours_figures_odd_years_are_a_translated_400(year):
    from django.utils import translation

    client = APIClient()
    _token, key = partner_token(["read"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="sq")
    with translation.override("sq"):
        response = client.get("/api/v1/volunteering/hours/", {"year": year})
        assert response.status_code == 400
        assert response.json()["year"] == [translation.gettext("A year between 2000 and 2100.")]
    assert client.get("/api/v1/volunteering/hours/", {"group": "x"}).status_code == 400
