"""Helpers of the grants tests (imported by tests; conftest.py only wraps them as fixtures)."""

from django.core.files.storage import FileSystemStorage

from grants.models import Attachment, Grant, GrantReport


def use_temporary_storage(settings, tmp_path, monkeypatch) -> FileSystemStorage:
    """Public media and the private storage of attachments, agreements and reports in a
    temporary folder (the fields' storage is resolved at import: patch the fields)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    for model, field in ((Attachment, "file"), (Grant, "agreement_file"), (GrantReport, "file")):
        monkeypatch.setattr(model._meta.get_field(field), "storage", storage)
    return storage
