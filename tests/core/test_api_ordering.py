"""`?ordering=` on the lists ordered by DRF's backend (core.api.filters.StrictOrderingFilter):
a field the list takes orders it; an unknown field, an empty place, an empty value or the
parameter twice is a 400 naming the fields it takes (it was silently the default order); the
schema documents exactly what is accepted."""

import pytest
from rest_framework.test import APIClient

from tests.volunteering.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/volunteering/opportunities/"


def test_a_field_the_list_takes_orders_it_either_way():
    for title in ("Beta", "Alfa", "Gama"):
        OpportunityFactory(title=title)
    client = APIClient()
    up = client.get(URL, {"ordering": "title"})
    down = client.get(URL, {"ordering": "-title"})
    assert [row["title"] for row in up.json()["results"]] == ["Alfa", "Beta", "Gama"]
    assert [row["title"] for row in down.json()["results"]] == ["Gama", "Beta", "Alfa"]


@pytest.mark.parametrize(
    "query", ["ordering=nonsense", "ordering=title,", "ordering=,", "ordering=", "ordering=-"]
)
def test_an_ordering_the_list_does_not_take_is_a_400_naming_the_fields(query):
    response = APIClient().get(f"{URL}?{query}")
    assert response.status_code == 400
    message = response.json()["ordering"][0]
    assert message.startswith("Order by one or more of these") and "title" in message


def test_the_ordering_given_twice_is_a_400():
    response = APIClient().get(f"{URL}?ordering=title&ordering=-title")
    assert response.status_code == 400
    assert response.json()["ordering"] == ["Give this parameter once: it takes one value."]


def test_the_schema_documents_the_fields_as_a_pattern():
    import re

    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    parameters = schema["paths"][URL]["get"]["parameters"]
    ordering = next(p for p in parameters if p["name"] == "ordering")
    pattern = re.compile(ordering["schema"]["pattern"])
    assert pattern.match("title") and pattern.match("-title,id")
    assert not pattern.match("nonsense") and not pattern.match("title,") and not pattern.match("")
