"""Fixtures of the grants tests: files in temporary storages (public media and private)."""

import pytest

from tests.grants.helpers import use_temporary_storage


@pytest.fixture(autouse=True)
def grants_files(settings, tmp_path, monkeypatch):
    """Files of grants in temporary storages (tests/grants/helpers.use_temporary_storage)."""
    return use_temporary_storage(settings, tmp_path, monkeypatch)
