"""Donor countries are named in the page's language (issue 13, item 5): django-countries has
no Albanian names, the portal ships them (locale_thirdparty/countries)."""

import pytest
from django.urls import reverse
from django.utils import translation
from django_countries.fields import Country

from tests.giving.factories import GivingRecordFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "germany"), [("sq", "Gjermani"), ("sr-latn", "Nemačka"), ("en", "Germany")]
)
def test_country_names_in_each_language(language, germany):
    with translation.override(language):
        assert Country("DE").name == germany


def test_the_report_form_lists_countries_in_albanian(client):
    with translation.override("sq"):
        url = reverse("giving:report_gift")
    html = client.get(url).content.decode()
    assert ">Gjermani</option>" in html and ">Germany</option>" not in html


def test_the_records_csv_names_the_donor_country_in_albanian(client):
    GivingRecordFactory(verified=True, donor_country="CH")
    with translation.override("sq"):
        url = reverse("giving:dashboard_download", kwargs={"what": "records", "fmt": "csv"})
    response = client.get(url)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Zvicër" in body and "Switzerland" not in body
