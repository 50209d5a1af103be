"""core.validators.upload_name: the name a file was uploaded with, as grants, assistance,
dialogue, academy and transparency keep it (their own copies of this were removed)."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.validators import upload_name


def named(name):
    return SimpleNamespace(name=name)


@pytest.mark.parametrize(
    "sent,kept",
    [
        ("report.pdf", "report.pdf"),
        ("raporti vjetor 2026.pdf", "raporti vjetor 2026.pdf"),  # spaces kept
        ("izveštaj_č.docx", "izveštaj_č.docx"),
        ("../../etc/passwd", "passwd"),
        ("/home/arta/cv.pdf", "cv.pdf"),
        ("C:\\Users\\arta\\Desktop\\slides.pdf", "slides.pdf"),
        ("C:\\Users/arta\\mixed/plan.xlsx", "plan.xlsx"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),  # a line break would break the download's header
        ("nul\x00tab\t.pdf", "nultab.pdf"),
        ("  spaced.pdf  ", "spaced.pdf"),
    ],
)
def test_the_base_name_without_folders_or_control_characters(sent, kept):
    assert upload_name(named(sent)) == kept


@pytest.mark.parametrize("sent", ["", None, "folder/", "C:\\folder\\", "..", ".", "\x00\n"])
def test_nothing_left_gives_the_default(sent):
    assert upload_name(named(sent)) == "file"
    assert upload_name(named(sent), default="document") == "document"


def test_no_name_at_all_and_the_length_limit():
    assert upload_name(object()) == "file"
    assert upload_name(named("a" * 300 + ".pdf")) == "a" * 255
    assert upload_name(named("x/" + "b" * 100), max_length=80) == "b" * 80
    assert upload_name(SimpleUploadedFile("C:\\tmp\\a.pdf", b"%PDF")) == "a.pdf"
