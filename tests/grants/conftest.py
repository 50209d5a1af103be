"""Fixtures of the grants tests: files in temporary storages (public media and private)."""

import pytest
from django.core.files.storage import FileSystemStorage

from grants.models import Attachment, Grant, GrantReport


@pytest.fixture(autouse=True)
def grants_files(settings, tmp_path, monkeypatch):
    """Public media and the private storage of attachments, agreements and reports in a
    temporary folder (the fields' storage is resolved at import: patch the fields)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    for model, field in ((Attachment, "file"), (Grant, "agreement_file"), (GrantReport, "file")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", storage)
    return storage


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the portal's default language (a request of an earlier test may
    have left another one active in this thread, which reverse() would then use)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
