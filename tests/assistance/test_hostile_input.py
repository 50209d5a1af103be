"""Hostile input on the help desk: archive bombs dressed as DOCX/ODT/XLSX attachments, oversize
attachments (to a new request and to a message: a 400 that keeps what was written), someone
else's attachment ids and requests, and junk in the knowledge search (NUL bytes, control
characters, very long queries)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance.models import HelpRequest
from assistance.services import attachments
from organizations.models import Membership
from tests import factories
from tests.assistance.factories import (
    KnowledgeEntryFactory,
    pdf_upload,
    private_files,  # noqa: F401  (fixture)
    submitted,
)
from tests.factories import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "english")]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx(document: bytes = b"<w:document/>") -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": document})


BOMB = b"\0" * (20 * 1024 * 1024)  # 20 MB of zeros: about 20 kB once deflated


def test_a_real_docx_is_accepted():
    upload = SimpleUploadedFile("a.docx", _docx())
    assert attachments.validate_uploads([upload]) == ["docx"]


@pytest.mark.parametrize(
    "name,data",
    [
        ("bomb.docx", _docx(BOMB)),
        (
            "bomb.xlsx",
            _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/x.xml": BOMB}),
        ),
        ("bomb.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": BOMB})),
        ("mimetype.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text" + BOMB})),
        (
            "many.docx",
            _zip(
                {"[Content_Types].xml": b"", "word/document.xml": b"", **{f"x/{n}": b"" for n in range(2000)}}
            ),
        ),
    ],
)
def test_an_archive_bomb_is_refused_before_it_is_unpacked(client, name, data):
    org = factories.OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    client.force_login(editor)
    response = client.post(
        reverse("assistance:request_create"),
        {
            "organization": org.pk,
            "category": "legal",
            "title": "Statuti",
            "description": "Si?",
            "urgency": "normal",
            "language": "sq",
            "files": [SimpleUploadedFile(name, data)],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert name in page and "far more data once unpacked" in page
    assert not HelpRequest.objects.exists()


def test_someone_elses_attachment_id_is_a_404(client):
    org = factories.OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    mine = submitted(requester=editor, organization=org, uploads=[pdf_upload()])
    theirs = submitted(uploads=[pdf_upload()])
    client.force_login(editor)
    other_file = theirs.attachments.get()
    # the other request's file under my request's URL, and under its own
    for pk in (mine.pk, theirs.pk):
        url = reverse("assistance:attachment_download", args=[pk, other_file.pk])
        assert client.get(url).status_code == 404
    url = reverse("assistance:attachment_download", args=[mine.pk, mine.attachments.get().pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("query", ["stat\x00ute", "stat\x01ute", "x" * 5000, "\x00"])
def test_junk_in_the_knowledge_search_is_a_400_never_a_500(client, query):
    KnowledgeEntryFactory()
    response = client.get(reverse("assistance:knowledge_list"), {"q": query})
    assert response.status_code == 400


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_far_dates_on_mentoring_pages_are_no_500(client, day):
    from assistance.models import MentoringSeries
    from tests.assistance.factories import ExpertFactory
    from tests.helpers import login

    staff = factories.StaffFactory()
    mentor = ExpertFactory()
    org = factories.OrganizationFactory()
    login(client, staff)
    response = client.post(
        reverse("assistance:series_create"),
        {"mentor": mentor.pk, "organization": org.pk, "topic": "T", "goal": "G", "started_on": day},
    )
    assert response.status_code in (302, 400)
    series = MentoringSeries.objects.first()
    if series is None:
        return
    login(client, mentor.user)
    response = client.post(
        reverse("assistance:session_add", args=[series.pk]), {"planned_on": "9999-12-31", "topic": "Far"}
    )
    assert response.status_code in (302, 400)
    for user in (staff, mentor.user):
        login(client, user)
        assert client.get(reverse("assistance:series_list")).status_code == 200
        assert client.get(reverse("assistance:series_detail", args=[series.pk])).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "99999999999999999999999"},
        {"page": "-1"},
        {"page": "\x00"},
        {"category": "legal\x00"},
        {"status": "x" * 5000},
        {"view": "all", "expert": "999999999999999999999"},
    ],
)
def test_junk_query_params_on_lists_are_no_500(client, params):
    from tests.helpers import login

    staff = factories.StaffFactory()
    submitted()
    login(client, staff)
    for name in ("triage", "my_requests", "figures", "knowledge_list", "series_list", "expert_inbox"):
        response = client.get(reverse(f"assistance:{name}"), params)
        assert response.status_code < 500, (name, params, response.status_code)


def _ask(org, **extra):
    return {
        "organization": org.pk,
        "category": "legal",
        "title": "Statuti",
        "description": "Si ta ndryshojmë statutin?",
        "urgency": "normal",
        "language": "sq",
        **extra,
    }


def test_an_oversize_attachment_is_a_400_that_keeps_what_was_written(client, monkeypatch):
    monkeypatch.setattr("assistance.services.attachments.MAX_BYTES", 100)
    org = factories.OrganizationFactory()
    client.force_login(member_of(org, Membership.Role.EDITOR))
    response = client.post(reverse("assistance:request_create"), _ask(org, files=[pdf_upload("big.pdf")]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "big.pdf" in page and "too large" in page
    assert "Si ta ndryshojmë statutin?" in page  # the question is still in the form
    assert not HelpRequest.objects.exists()


def test_an_oversize_attachment_to_a_message_is_a_400_and_saves_no_message(client, monkeypatch):
    from assistance.models import Attachment, Message

    org = factories.OrganizationFactory()
    editor = member_of(org, Membership.Role.EDITOR)
    request = submitted(requester=editor, organization=org)
    monkeypatch.setattr("assistance.services.attachments.MAX_BYTES", 100)
    client.force_login(editor)
    before = Message.objects.count()
    response = client.post(
        reverse("assistance:message_post", args=[request.pk]),
        {"body": "Here is the statute", "files": [pdf_upload("statute.pdf")]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "statute.pdf" in page and "Here is the statute" in page
    assert Message.objects.count() == before and not Attachment.objects.exists()


def test_someone_elses_request_takes_no_message_close_or_consent(client):
    from assistance.models import Message

    theirs = submitted()
    before = Message.objects.count()
    org = factories.OrganizationFactory()
    client.force_login(member_of(org, Membership.Role.EDITOR))
    for name, data in (
        ("message_post", {"body": "Mine now"}),
        ("request_close", {"score": "5", "solved": "yes"}),
        ("consent", {"consent": "yes"}),
        ("request_answer", {"body": "Answer"}),
    ):
        response = client.post(reverse(f"assistance:{name}", args=[theirs.pk]), data)
        assert response.status_code in (403, 404), name
    theirs.refresh_from_db()
    assert theirs.status == "new" and Message.objects.count() == before
    assert not theirs.consent_to_publish and theirs.consent_changed_at is None
