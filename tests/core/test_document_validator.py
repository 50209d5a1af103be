"""Uploaded PDFs are read (pypdf), not only sniffed: "%PDF-" then HTML, a truncated file, a
page-count or decompression bomb are refused; a real PDF passes."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import validators
from core.validators import PDF, validate_document_upload
from tests.transparency.factories import docx_bytes, pdf_bytes


def check(content: bytes, allowed=(PDF,)):
    upload = SimpleUploadedFile("a.pdf", content, content_type="application/pdf")
    return validate_document_upload(upload, allowed=allowed, message="wrong type", max_bytes=10_000_000)


def test_a_real_pdf_passes_and_the_file_is_rewound():
    upload = SimpleUploadedFile("a.pdf", pdf_bytes(3), content_type="application/pdf")
    assert validate_document_upload(upload, allowed=(PDF,), message="x", max_bytes=10**7) == PDF
    assert upload.tell() == 0


def test_other_types_are_not_read_as_pdf():
    assert check(docx_bytes(), allowed=("docx",)) == "docx"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
        b"%PDF-1.7 " + b"x" * 5000,
        pdf_bytes()[:200],  # truncated
    ],
)
def test_a_pdf_that_does_not_read_is_refused(content):
    with pytest.raises(ValidationError) as info:
        check(content)
    assert info.value.error_dict["file"][0].code == "invalid_pdf"


def _pdf_with_content(stream: bytes, filtered: bool) -> bytes:
    import pypdf
    from pypdf.generic import DecodedStreamObject, NameObject, StreamObject

    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=100, height=100)
    if filtered:
        content = StreamObject()
        content._data = zlib.compress(stream, 9)
        content[NameObject("/Filter")] = NameObject("/FlateDecode")
    else:
        content = DecodedStreamObject()
        content.set_data(stream)
    page[NameObject("/Contents")] = writer._add_object(content)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(validators, "PDF_MAX_DECOMPRESSED_BYTES", 1_000_000)
    bomb = _pdf_with_content(b"0 0 m " * 400_000, filtered=True)  # 2.4 MB unpacked, a few KB packed
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError) as info:
        check(bomb)
    assert info.value.error_dict["file"][0].code == "invalid_pdf"
    assert check(_pdf_with_content(b"0 0 m " * 1000, filtered=True)) == PDF


def test_too_many_pages_are_refused(monkeypatch):
    monkeypatch.setattr(validators, "PDF_MAX_PAGES", 2)
    assert check(pdf_bytes(2)) == PDF
    with pytest.raises(ValidationError):
        check(pdf_bytes(3))
