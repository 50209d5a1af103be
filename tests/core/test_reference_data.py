import pytest
from django.utils import translation

from core.models import Municipality, Sector


@pytest.mark.django_db
def test_the_38_municipalities_are_loaded_with_three_names():
    assert Municipality.objects.count() == 38
    prishtina = Municipality.objects.get(slug="prishtine")
    with translation.override("sq"):
        assert prishtina.name == "Prishtinë"
    with translation.override("sr-latn"):
        assert prishtina.name == "Priština"
    with translation.override("en"):
        assert prishtina.name == "Pristina"
    assert not Municipality.objects.filter(name_sr="").exists()


@pytest.mark.django_db
def test_sectors_are_loaded():
    assert Sector.objects.filter(slug="education").exists()
    assert Sector.objects.count() >= 15
