"""core.private_files.file_response: the one way a checked private file is served."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from core.private_files import file_response


class _Field:
    storage = None


def _stored(tmp_path, name="doc.pdf", content=b"%PDF-1.4 test"):
    storage = FileSystemStorage(location=tmp_path)
    saved = storage.save(name, ContentFile(content))
    field = _Field()
    field.storage = storage
    return FieldFile(None, field, saved)


def test_a_stored_file_is_a_typed_download_named_as_uploaded(tmp_path):
    response = file_response(_stored(tmp_path), filename="Raporti 2026.pdf", file_type="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Raporti 2026.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_a_photo_is_shown_inline_and_an_unknown_type_is_opaque(tmp_path):
    photo = file_response(_stored(tmp_path, "p.png", b"\x89PNG"), filename="", file_type="png", inline=True)
    assert photo["Content-Type"] == "image/png" and photo["Content-Disposition"].startswith("inline")
    other = file_response(_stored(tmp_path, "x.bin", b"x"), filename="x.html", file_type="html")
    assert other["Content-Type"] == "application/octet-stream"


def test_a_file_missing_from_storage_is_a_404(tmp_path):
    stored = _stored(tmp_path)
    stored.storage.delete(stored.name)
    with pytest.raises(Http404):
        file_response(stored, filename="gone.pdf", file_type="pdf")
