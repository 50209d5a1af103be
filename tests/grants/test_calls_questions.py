"""The call's questions as a document to draft with a team: PDF, DOCX, printable HTML."""

import io
import zipfile
from datetime import timedelta
from xml.dom import minidom

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from grants.choices import QuestionKind, Stage
from grants.models import Question
from tests.factories import StaffFactory, UserFactory
from tests.grants.factories import CallFactory, add_form

pytestmark = pytest.mark.django_db


def _url(call, fmt=None, language="en"):
    with translation.override(language):
        url = reverse("grants:call_questions", kwargs={"slug": call.slug})
    return f"{url}?format={fmt}" if fmt else url


def _docx_text(content: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert {"[Content_Types].xml", "_rels/.rels", "word/document.xml"} <= set(archive.namelist())
    xml = archive.read("word/document.xml").decode()
    minidom.parseString(xml)  # well-formed
    minidom.parseString(archive.read("[Content_Types].xml"))
    return xml


@pytest.fixture
def call():
    call = CallFactory(with_form=True, title_en="River call")
    Question.objects.create(
        call=call,
        order=3,
        kind=QuestionKind.NUMBER,
        label_sq="Sa pjesëmarrës?",
        label_en="How many participants?",
        help_en="Count <everyone> & their families.",
        min_value=1,
        max_value=500,
        required=False,
    )
    return call


def test_pdf_is_the_default(client, call):
    response = client.get(_url(call))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{call.slug}-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('-en.pdf"')


def test_docx_is_a_valid_word_document_with_every_question(client, call):
    response = client.get(_url(call, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert response["Content-Disposition"].endswith('.docx"')
    xml = _docx_text(response.content)
    assert "River call" in xml
    assert "What is the problem?" in xml and "at most 50 words" in xml
    assert "Target group" in xml and "Youth" in xml and "Women" in xml
    assert "How many participants?" in xml and "minimum 1" in xml and "maximum 500" in xml
    assert "Count &lt;everyone&gt; &amp; their families." in xml
    assert "CV of the project lead" in xml
    assert "Unit cost (EUR)" in xml or "unit cost (EUR)" in xml
    assert "Work plan" in xml


def test_html_printable_page(client, call):
    response = client.get(_url(call, "html"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "What is the problem?" in body and "at most 50 words" in body
    assert "Youth" in body and "Women" in body
    assert "How many participants?" in body and "optional" in body
    assert "Count &lt;everyone&gt; &amp; their families." in body
    assert "CV of the project lead" in body
    assert "co-financing (EUR)" in body
    assert _url(call, "pdf") in body and _url(call, "docx") in body


def test_two_stage_call_lists_both_stages(client):
    now = timezone.now()
    call = CallFactory(two_stage=True, full_proposal_closes_at=now + timedelta(days=60))
    add_form(call, stage=Stage.CONCEPT)
    Question.objects.create(call=call, stage=Stage.FULL, kind=QuestionKind.SHORT_TEXT, label_en="Partners?")
    body = client.get(_url(call, "html")).content.decode()
    assert body.index("Concept note") < body.index("What is the problem?") < body.index("Full proposal")
    assert body.index("Full proposal") < body.index("Partners?")
    xml = _docx_text(client.get(_url(call, "docx")).content)
    assert "Concept note" in xml and "Full proposal" in xml and "Partners?" in xml


@pytest.mark.parametrize(
    ("language", "label", "option"),
    [
        ("sq", "Cili është problemi?", "Të rinjtë"),
        ("sr-latn", "Koji je problem?", "Të rinjtë"),
        ("en", "What is the problem?", "Youth"),
    ],
)
def test_questions_in_the_page_language(client, call, language, label, option):
    body = client.get(_url(call, "html", language)).content.decode()
    assert label in body and option in body
    xml = _docx_text(client.get(_url(call, "docx", language)).content)
    assert label in xml
    pdf = client.get(_url(call, "pdf", language))
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith(f'-{language}.pdf"')


@pytest.mark.parametrize("fmt", ["doc", "xlsx", "PDF", "../../etc", "<script>"])
def test_unknown_format_is_400(client, call, english, fmt):
    response = client.get(reverse("grants:call_questions", kwargs={"slug": call.slug}), {"format": fmt})
    assert response.status_code == 400
    assert "This format is not available" in response.content.decode()


def test_unpublished_call_questions_only_for_staff(client):
    call = CallFactory(is_published=False, with_form=True)
    assert client.get(_url(call, "html")).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(call, "docx")).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(_url(call, "html")).status_code == 200


def test_call_without_questions_still_gives_a_document(client):
    call = CallFactory()
    assert client.get(_url(call, "pdf")).content.startswith(b"%PDF")
    _docx_text(client.get(_url(call, "docx")).content)


def test_control_characters_in_labels_do_not_break_the_docx(client):
    call = CallFactory()
    Question.objects.create(
        call=call, kind=QuestionKind.SHORT_TEXT, label_sq="Bad\x0bchar", label_en="Bad\x01char"
    )
    xml = _docx_text(client.get(_url(call, "docx")).content)
    assert "Badchar" in xml
