"""After the event: minutes / closing report, documents and photos (checked by content, stored
privately), shown on the event page once published after the end; publishing emails everyone
who held a place, once, in their language, surviving one failed send."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import EmailOutbox
from dialogue.choices import EventStatus, RegistrationStatus
from dialogue.models import EventFollowUp, FollowUpDocument, FollowUpPhoto
from dialogue.services import followups as services
from tests import factories
from tests.dialogue.factories import (
    EventFactory,
    editor_of,
    ended_event,
    registrant,
    upload,
    use_tmp_storage,
    verified_org,
)
from tests.helpers import login
from tests.transparency.factories import docx_bytes, jpeg_bytes, odt_bytes, pdf_bytes, png_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
R = RegistrationStatus


@pytest.fixture(autouse=True)
def _storage(tmp_path, monkeypatch):
    return use_tmp_storage(tmp_path, monkeypatch)


@pytest.fixture
def world():
    org = verified_org()
    editor = editor_of(org)
    event = ended_event(organization=org)
    return {"org": org, "editor": editor, "event": event}


def _write(world, **kwargs):
    return services.follow_up_save(
        event=world["event"],
        actor=world["editor"],
        kind="minutes",
        body_en="We agreed on three things.",
        **kwargs,
    )


# --- services ---------------------------------------------------------------------------------


def test_minutes_documents_and_photos_are_saved_after_the_end(world, english):
    follow_up = _write(world, body_sq="Ramë dakord për tri gjëra.")
    assert follow_up.kind == "minutes" and follow_up.body_sq.startswith("Ramë")
    for content, name in (
        (pdf_bytes(), "a.pdf"),
        (docx_bytes(), "b.docx"),
        (xlsx_bytes(), "c.xlsx"),
        (odt_bytes(), "d.odt"),
    ):
        document = services.document_add(
            event=world["event"], actor=world["editor"], upload=upload(content, name), title=f"Doc {name}"
        )
        # The stored name is a random one under the event's folder, never the uploader's name.
        assert document.original_name == name
        assert document.file.name.rsplit("/", 1)[-1] != name
        assert re.fullmatch(r"[0-9a-f]{32}\.[a-z]+", document.file.name.rsplit("/", 1)[-1])
    photo = services.photo_add(
        event=world["event"], actor=world["editor"], upload=upload(jpeg_bytes(), "p.jpg"), caption="The hall"
    )
    services.photo_add(
        event=world["event"], actor=world["editor"], upload=upload(png_bytes(), "p.png"), caption="Q&A"
    )
    assert photo.extension == "jpg" and FollowUpPhoto.objects.count() == 2
    assert sorted(d.extension for d in FollowUpDocument.objects.all()) == ["docx", "odt", "pdf", "xlsx"]


def test_nothing_is_added_before_the_event_ends(world, english):
    future = EventFactory(organization=world["org"])
    for call in (
        lambda: services.follow_up_save(event=future, actor=world["editor"], kind="minutes", body_en="x"),
        lambda: services.document_add(
            event=future, actor=world["editor"], upload=upload(pdf_bytes(), "a.pdf")
        ),
        lambda: services.photo_add(
            event=future, actor=world["editor"], upload=upload(png_bytes(), "a.png"), caption="c"
        ),
        lambda: services.follow_up_publish(event=future, actor=world["editor"]),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.code == "not_ended"
    assert not EventFollowUp.objects.exists()


def test_a_draft_or_cancelled_event_gets_no_follow_up(world):
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        event = ended_event(organization=world["org"], status=status)
        with pytest.raises(ValidationError) as exc:
            services.follow_up_save(event=event, actor=world["editor"], kind="minutes", body_en="x")
        assert exc.value.code == "not_published"


def test_only_whoever_may_edit_the_event(world):
    other = editor_of(verified_org())
    with pytest.raises(PermissionDenied):
        services.follow_up_save(event=world["event"], actor=other, kind="minutes", body_en="x")
    with pytest.raises(PermissionDenied):
        services.document_add(event=world["event"], actor=other, upload=upload(pdf_bytes(), "a.pdf"))
    staff = factories.StaffFactory()
    assert (
        services.follow_up_save(event=world["event"], actor=staff, kind="report", body_sr="Izveštaj").kind
        == "report"
    )


def test_text_in_at_least_one_language_and_a_known_kind(world, english):
    with pytest.raises(ValidationError) as exc:
        services.follow_up_save(event=world["event"], actor=world["editor"], kind="minutes", body_en="  ")
    assert exc.value.code == "no_text"
    with pytest.raises(ValidationError):
        services.follow_up_save(event=world["event"], actor=world["editor"], kind="essay", body_en="x")


def test_the_reader_sees_their_language_or_another_one_given(world):
    from django.utils import translation

    follow_up = _write(world)
    with translation.override("sq"):
        assert follow_up.body == "We agreed on three things."
    follow_up.body_sr = "Dogovorili smo se."
    with translation.override("sr-latn"):
        assert follow_up.body == "Dogovorili smo se."


# --- hostile uploads ----------------------------------------------------------------------------


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("word/document.xml", b"0" * (150 * 1024 * 1024))
    return buf.getvalue()


@pytest.mark.parametrize(
    "content,name,code",
    [
        (b"MZ\x90\x00 this is a program" * 10, "minutes.pdf", "invalid_type"),
        (b"<html><script>alert(1)</script></html>", "minutes.pdf", "invalid_type"),
        (b"%PDF-1.4\n<html>not really</html>", "minutes.pdf", "invalid_pdf"),
        (png_bytes(), "photo-renamed.pdf", "invalid_type"),  # a photo is not a document
        (b"", "empty.pdf", "empty_file"),
    ],
)
def test_hostile_documents_are_refused(world, english, content, name, code):
    with pytest.raises(ValidationError) as exc:
        services.document_add(event=world["event"], actor=world["editor"], upload=upload(content, name))
    assert exc.value.error_dict["file"][0].code == code
    assert not FollowUpDocument.objects.exists()


def test_an_archive_bomb_renamed_docx_is_refused(world, english):
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            event=world["event"], actor=world["editor"], upload=upload(_bomb(), "minutes.docx")
        )
    assert exc.value.error_dict["file"][0].code == "archive_too_large"


def test_oversized_uploads_are_refused(world, english, settings):
    settings.DIALOGUE_DOCUMENT_MAX_BYTES = 100
    settings.DIALOGUE_PHOTO_MAX_BYTES = 100
    with pytest.raises(ValidationError) as exc:
        services.document_add(
            event=world["event"], actor=world["editor"], upload=upload(pdf_bytes(), "a.pdf")
        )
    assert exc.value.error_dict["file"][0].code == "file_too_large"
    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            event=world["event"], actor=world["editor"], upload=upload(jpeg_bytes(), "a.jpg"), caption="x"
        )
    assert exc.value.error_dict["file"][0].code == "file_too_large"


@pytest.mark.parametrize(
    "content,name",
    [
        (pdf_bytes(), "photo.jpg"),  # a PDF renamed .jpg
        (b"\xff\xd8\xff\xe0 broken jpeg" + b"\x00" * 50, "photo.jpg"),  # JPEG magic, no image
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "photo.png"),  # PNG magic, no image
        (b"GIF89a" + b"\x00" * 20, "photo.gif"),
    ],
)
def test_photos_are_validated_by_content(world, english, content, name):
    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            event=world["event"], actor=world["editor"], upload=upload(content, name), caption="x"
        )
    assert exc.value.error_dict["file"][0].code in ("invalid_type", "invalid_image")
    assert not FollowUpPhoto.objects.exists()


def test_a_photo_needs_a_caption(world, english):
    with pytest.raises(ValidationError) as exc:
        services.photo_add(
            event=world["event"], actor=world["editor"], upload=upload(png_bytes(), "a.png"), caption=" "
        )
    assert "caption" in exc.value.error_dict


# --- publishing and its email ---------------------------------------------------------------------


def test_publishing_emails_who_held_a_place_once_in_their_language(world, django_capture_on_commit_callbacks):
    event = world["event"]
    attended = registrant(event, R.ATTENDED, language="en")
    registered = registrant(event, R.REGISTERED, language="sr-latn")
    waiting = registrant(event, R.WAITING, language="en")
    cancelled = registrant(event, R.CANCELLED, language="en")
    _write(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.follow_up_publish(event=event, actor=world["editor"])
    assert callbacks  # the emails go in the background, after commit
    recipients = {m.to[0]: m for m in mail.outbox}
    assert set(recipients) == {attended.email, registered.email}
    assert waiting.email not in recipients and cancelled.email not in recipients
    english_mail, serbian_mail = recipients[attended.email], recipients[registered.email]
    link = reverse("dialogue:event_detail", kwargs={"pk": event.pk})
    assert english_mail.subject.startswith("Minutes of") and link.replace("/sq/", "/en/") in english_mail.body
    assert "Thank you for taking part" in english_mail.body
    # In the registrant's language: the link and the municipality (the text itself follows
    # once the lead compiles the pending translations).
    assert link.replace("/sq/", "/sr-latn/") in serbian_mail.body and "Priština" in serbian_mail.body
    follow_up = EventFollowUp.objects.get(event=event)
    assert follow_up.published_at and follow_up.notified_at
    # Publishing again (a double submit, or after a change) emails nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_publish(event=event, actor=world["editor"])
    from dialogue.tasks import follow_up_notify

    assert follow_up_notify(follow_up.pk) == 0
    assert len(mail.outbox) == 2


def test_the_event_is_written_in_full_in_the_recipients_language(world, django_capture_on_commit_callbacks):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    belgrade = ZoneInfo("Europe/Belgrade")
    event = world["event"]
    event.starts_at = datetime(2026, 12, 1, 10, 0, tzinfo=belgrade)  # a Tuesday, past by now
    event.ends_at = datetime(2026, 12, 1, 12, 0, tzinfo=belgrade)
    event.registration_opens_at = event.starts_at - timedelta(days=10)
    event.registration_closes_at = event.starts_at - timedelta(hours=1)
    event.save()
    if event.ends_at > timezone.now():
        pytest.skip("the clock is before the sample date")
    people = {lang: registrant(event, language=lang) for lang in ("en", "sq", "sr-latn")}
    _write(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_publish(event=event, actor=world["editor"])
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "Tuesday, 1 December 2026, 10:00–12:00, Pristina, Salla e Kuvendit" in bodies[people["en"].email]
    assert "martë" in bodies[people["sq"].email] and "dhjetor 2026, 10:00–12:00" in bodies[people["sq"].email]
    assert "Prishtinë" in bodies[people["sq"].email]
    assert "utorak" in bodies[people["sr-latn"].email] and "Priština" in bodies[people["sr-latn"].email]


def test_one_failed_send_does_not_stop_the_others(world, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    event = world["event"]
    broken, fine = registrant(event, language="en"), registrant(event, language="en")
    original = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if broken.email in self.to:
            raise OSError("mail server refused")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send)
    _write(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_up_publish(event=event, actor=world["editor"])
    assert [m.to for m in mail.outbox] == [[fine.email]]
    pending = EmailOutbox.objects.get(to=broken.email)
    assert (
        pending.status == EmailOutbox.Status.PENDING and "refused" in pending.last_error
    )  # beat re-sends it


def test_publishing_needs_the_text(world, english):
    with pytest.raises(ValidationError) as exc:
        services.follow_up_publish(event=world["event"], actor=world["editor"])
    assert exc.value.code == "no_text"


# --- pages ----------------------------------------------------------------------------------------


def _publish_with_files(world):
    _write(world)
    document = services.document_add(
        event=world["event"],
        actor=world["editor"],
        upload=upload(pdf_bytes(), "minutes.pdf"),
        title="Signed minutes",
    )
    photo = services.photo_add(
        event=world["event"],
        actor=world["editor"],
        upload=upload(png_bytes(), "hall.png"),
        caption="The full hall",
    )
    return document, photo


def test_the_event_page_shows_the_follow_up_once_published(client, world, english):
    document, photo = _publish_with_files(world)
    url = reverse("dialogue:event_detail", kwargs={"pk": world["event"].pk})
    html = client.get(url).content.decode()
    assert "We agreed on three things." not in html and "The full hall" not in html
    doc_url = reverse("dialogue:follow_up_document", kwargs={"pk": world["event"].pk, "item": document.pk})
    photo_url = reverse("dialogue:follow_up_photo", kwargs={"pk": world["event"].pk, "item": photo.pk})
    assert client.get(doc_url).status_code == 404  # not published: private
    assert login(client, world["editor"]).get(doc_url).status_code == 200  # the organiser sees it
    client.logout()
    services.follow_up_publish(event=world["event"], actor=world["editor"])
    html = client.get(url).content.decode()
    assert "We agreed on three things." in html and "Signed minutes" in html and "The full hall" in html
    response = client.get(doc_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="minutes.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    other = reverse("dialogue:follow_up_photo", kwargs={"pk": EventFactory().pk, "item": photo.pk})
    assert client.get(other).status_code == 404  # someone else's ids


def test_upload_page_before_the_end_says_so_and_posts_get_400(client, world, english):
    future = EventFactory(organization=world["org"])
    client = login(client, world["editor"])
    page = client.get(reverse("dialogue:follow_up_edit", kwargs={"pk": future.pk}))
    assert page.status_code == 200 and "once the event has ended" in page.content.decode()
    response = client.post(
        reverse("dialogue:follow_up_document_add", kwargs={"pk": future.pk}),
        {"document-title": "x", "document-file": upload(pdf_bytes(), "a.pdf")},
    )
    assert response.status_code == 400 and "once the event has ended" in response.content.decode()
    response = client.post(
        reverse("dialogue:follow_up_photo_add", kwargs={"pk": future.pk}),
        {"photo-caption": "x", "photo-file": upload(png_bytes(), "a.png")},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("dialogue:follow_up_edit", kwargs={"pk": future.pk}), {"kind": "minutes", "body_en": "x"}
    )
    assert response.status_code == 400
    assert not FollowUpDocument.objects.exists() and not FollowUpPhoto.objects.exists()


def test_pages_refuse_bad_input_with_a_400_and_keep_what_was_saved(client, world, english):
    _write(world)
    client = login(client, world["editor"])
    event = world["event"]
    response = client.post(
        reverse("dialogue:follow_up_document_add", kwargs={"pk": event.pk}),
        {"document-file": upload(b"MZ not a pdf" * 20, "evil.pdf")},
    )
    assert response.status_code == 400 and "Upload a PDF" in response.content.decode()
    response = client.post(
        reverse("dialogue:follow_up_photo_add", kwargs={"pk": event.pk}),
        {"photo-caption": "x", "photo-file": upload(pdf_bytes(), "photo.jpg")},
    )
    assert response.status_code == 400 and "JPEG or PNG" in response.content.decode()
    response = client.post(reverse("dialogue:follow_up_document_add", kwargs={"pk": event.pk}), {})
    assert response.status_code == 400
    response = client.post(reverse("dialogue:follow_up_edit", kwargs={"pk": event.pk}), {"kind": "nope"})
    assert response.status_code == 400
    assert EventFollowUp.objects.get(event=event).body_en == "We agreed on three things."  # nothing lost
    response = client.post(
        reverse("dialogue:follow_up_file_remove", kwargs={"pk": event.pk, "what": "nope", "item": 1})
    )
    assert response.status_code == 404


def test_the_organiser_adds_removes_and_publishes_through_the_pages(client, world, english):
    client = login(client, world["editor"])
    event = world["event"]
    assert (
        client.post(
            reverse("dialogue:follow_up_edit", kwargs={"pk": event.pk}),
            {"kind": "report", "body_en": "Closing words"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            reverse("dialogue:follow_up_document_add", kwargs={"pk": event.pk}),
            {"document-title": "Report", "document-file": upload(docx_bytes(), "report.docx")},
        ).status_code
        == 302
    )
    document = FollowUpDocument.objects.get()
    assert (
        client.post(
            reverse(
                "dialogue:follow_up_file_remove",
                kwargs={"pk": event.pk, "what": "documents", "item": document.pk},
            )
        ).status_code
        == 302
    )
    assert not FollowUpDocument.objects.exists()
    response = client.post(reverse("dialogue:follow_up_publish", kwargs={"pk": event.pk}))
    assert response.status_code == 302
    assert EventFollowUp.objects.get(event=event).is_published
    html = client.get(reverse("dialogue:event_detail", kwargs={"pk": event.pk})).content.decode()
    assert "Closing report" in html and "Closing words" in html


def test_event_page_queries_do_not_grow_with_files(client, world, django_assert_max_num_queries):
    _publish_with_files(world)
    services.follow_up_publish(event=world["event"], actor=world["editor"])
    url = reverse("dialogue:event_detail", kwargs={"pk": world["event"].pk})
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(4):
        services.photo_add(
            event=world["event"],
            actor=world["editor"],
            upload=upload(png_bytes(), f"{n}.png"),
            caption=f"P{n}",
        )
        services.document_add(
            event=world["event"], actor=world["editor"], upload=upload(pdf_bytes(), f"{n}.pdf")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_constraint_messages_are_translated():
    """The admin shows the database constraints' messages in the reader's language."""
    from django.utils.functional import Promise

    from dialogue.models import Event, Registration

    for model in (Event, Registration, EventFollowUp):
        for constraint in model._meta.constraints:
            assert isinstance(constraint.violation_error_message, Promise), constraint.name
