"""The yearly PDF: built in the background with progress, cached per data version,
rebuilt after a change, in the chosen language."""

import re
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from giving import aggregates
from giving import exports as reports
from giving.aggregates_models import GivingYearlyReport
from giving.models import GivingRecord
from tests.giving.test_aggregates import make_records

pytestmark = pytest.mark.django_db


def url(name, lang="sq", **kwargs):
    with translation.override(lang):
        return reverse(f"giving:{name}", kwargs=kwargs or None)


def pdf_unicode(data: bytes) -> str:
    """The decompressed streams of a PDF (content and ToUnicode maps of the embedded fonts)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out).lower()


@pytest.fixture
def records():
    recs = make_records(80)
    aggregates.refresh()
    return recs


def test_year_list_and_pdf_generated_cached_and_regenerated(
    client, records, django_capture_on_commit_callbacks
):
    page = client.get(url("yearly_report"))
    assert page.status_code == 200
    assert "2023" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("yearly_report_start", year=2023))
    assert response.status_code == 302
    report = GivingYearlyReport.objects.get()
    assert report.status == "done" and report.progress == 100 and report.language == "sq"
    status = client.get(response["Location"])
    assert status.status_code == 200 and "report-progress" in status.content.decode()
    assert client.get(response["Location"], HTTP_HX_REQUEST="true").status_code == 200
    download = client.get(url("yearly_report_download", pk=report.pk))
    assert download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")
    streams = pdf_unicode(content)
    assert "<00eb>" in streams and "<00e7>" in streams  # ë and ç are embedded and mapped

    # Cached: the same year, language and data version is not built again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = client.post(url("yearly_report_start", year=2023))
    assert again["Location"] == response["Location"]
    assert callbacks == []
    assert GivingYearlyReport.objects.count() == 1

    # Another language is another report.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("yearly_report_start", "en", year=2023))
    assert GivingYearlyReport.objects.filter(language="en", status="done").count() == 1

    # After a change of the data (a refresh bumps the version) it is built again.
    record = GivingRecord.objects.filter(status="verified", date__year=2023).first()
    GivingRecord.objects.filter(pk=record.pk).update(amount=record.amount + 1)
    aggregates.refresh([record.date])
    with django_capture_on_commit_callbacks(execute=True):
        newer = client.post(url("yearly_report_start", year=2023))
    assert newer["Location"] != response["Location"]
    assert GivingYearlyReport.objects.filter(language="sq", status="done").count() == 2


def test_unknown_year_is_404(client, records):
    assert client.post(url("yearly_report_start", year=1999)).status_code == 404


def test_svg_chart_escapes_labels():
    svg = reports.bar_chart_svg([("<b>", 10), ("Prishtinë", 5)])
    assert "&lt;b&gt;" in svg and "<b>" not in svg.replace("&lt;b&gt;", "")
