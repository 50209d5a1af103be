"""Fixtures of the grants tests: files in temporary storages (public media and private)."""

import pytest

from tests.grants.helpers import use_temporary_storage


@pytest.fixture(autouse=True)
def grants_files(settings, tmp_path, monkeypatch):
    """Files of grants in temporary storages (tests/grants/helpers.use_temporary_storage)."""
    return use_temporary_storage(settings, tmp_path, monkeypatch)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (a request of an earlier test may
    have left another one active in this thread, which reverse() would then use)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
