"""CSO capacity trainings: registration (window, places under a lock, one per organisation,
editable until the start, only for an organisation one edits), attendance, materials,
feedback once after the training."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from academy.models import Training, TrainingAttendee, TrainingFeedback, TrainingRegistration
from academy.services import trainings as service
from organizations.models import Membership
from tests.academy.training_factories import PDF as READABLE_PDF
from tests.academy.training_factories import make_training, organization_with, register
from tests.factories import StaffFactory, UserFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_editor_registers_staff_and_changes_them_until_the_start():
    training = make_training(places=5)
    organization, editor = organization_with()
    registration = service.registration_save(
        actor=editor,
        training=training,
        organization_id=organization.pk,
        attendees=[("Arta Krasniqi", "arta@example.org"), ("  Blerim Gashi ", ""), ("", "")],
    )
    assert [(a.name, a.email) for a in registration.attendees.all()] == [
        ("Arta Krasniqi", "arta@example.org"),
        ("Blerim Gashi", ""),
    ]
    service.registration_save(
        actor=editor,
        training=training,
        organization_id=organization.pk,
        attendees=[("Arta Krasniqi", "")],
        registration_id=registration.pk,
    )
    assert list(registration.attendees.values_list("name", flat=True)) == ["Arta Krasniqi"]
    assert TrainingRegistration.objects.count() == 1


def test_registering_twice_is_refused_without_touching_the_first():
    training = make_training()
    organization, editor = organization_with()
    register(training, organization, editor)
    with pytest.raises(ValidationError) as exc:
        service.registration_save(
            actor=editor, training=training, organization_id=organization.pk, attendees=[("X", "")]
        )
    assert exc.value.code == "already_registered"
    assert training.attendees.count() == 2


@pytest.mark.parametrize("phase", ["soon", "today", "held"])
def test_new_registration_only_inside_the_window(phase):
    training = make_training(phase=phase)
    organization, editor = organization_with()
    with pytest.raises(ValidationError) as exc:
        service.registration_save(
            actor=editor, training=training, organization_id=organization.pk, attendees=[("X", "")]
        )
    assert exc.value.code == "closed"
    assert not TrainingRegistration.objects.exists()


def test_a_registration_is_frozen_once_the_training_starts():
    training = make_training(phase="today")
    organization, editor = organization_with()
    registration = register(training, organization, editor)
    with pytest.raises(ValidationError) as exc:
        service.registration_save(
            actor=editor,
            training=training,
            organization_id=organization.pk,
            attendees=[("X", "")],
            registration_id=registration.pk,
        )
    assert exc.value.code == "started"


def test_places_are_never_over_filled():
    training = make_training(places=3)
    first, first_editor = organization_with()
    second, second_editor = organization_with()
    register(training, first, first_editor)  # two people
    with pytest.raises(ValidationError) as exc:
        service.registration_save(
            actor=second_editor,
            training=training,
            organization_id=second.pk,
            attendees=[("A", ""), ("B", "")],
        )
    assert exc.value.code == "full"
    assert "Only 1 place is left." in exc.value.messages
    assert not TrainingRegistration.objects.filter(organization=second).exists()
    service.registration_save(
        actor=second_editor, training=training, organization_id=second.pk, attendees=[("A", "")]
    )
    assert training.attendees.count() == 3


@pytest.mark.parametrize("role", [None, Membership.Role.VIEWER])
def test_only_an_editor_of_the_organisation_registers_it(role):
    training = make_training()
    organization, _editor = organization_with()
    person = member_of(organization, role) if role else UserFactory()
    _other, other_editor = organization_with()
    for actor in (person, other_editor):
        with pytest.raises(PermissionDenied):
            service.registration_save(
                actor=actor, training=training, organization_id=organization.pk, attendees=[("X", "")]
            )
    assert not TrainingRegistration.objects.exists()


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([("", "")], "no_attendees"),
        ([("", "a@example.org")], "name_missing"),
        ([("A", "not-an-email")], "invalid_email"),
        ([("A", "")] * 51, "too_many"),
    ],
)
def test_attendee_lists_are_checked(rows, code):
    training = make_training(places=100)
    organization, editor = organization_with()
    with pytest.raises(ValidationError) as exc:
        service.registration_save(
            actor=editor, training=training, organization_id=organization.pk, attendees=rows
        )
    assert exc.value.code == code


def test_staff_mark_attendance_on_the_day_only():
    staff = StaffFactory()
    training = make_training(phase="today")
    organization, editor = organization_with()
    attendee = register(training, organization, editor).attendees.first()
    service.attendance_mark(actor=staff, training=training, attendee_id=attendee.pk, present=True)
    service.attendance_mark(actor=staff, training=training, attendee_id=attendee.pk, present=True)
    attendee.refresh_from_db()
    assert attendee.present and attendee.marked_by == staff
    other = make_training(phase="today")
    with pytest.raises(ValidationError) as exc:
        service.attendance_mark(actor=staff, training=other, attendee_id=attendee.pk, present=True)
    assert exc.value.code == "not_attendee"
    future = make_training(phase="open")
    with pytest.raises(ValidationError) as exc:
        service.attendance_mark(actor=staff, training=future, attendee_id=attendee.pk, present=True)
    assert exc.value.code == "not_running"
    with pytest.raises(PermissionDenied):
        service.attendance_mark(actor=editor, training=training, attendee_id=attendee.pk, present=True)


def test_feedback_once_after_the_training_from_members():
    training = make_training(phase="held")
    organization, editor = organization_with()
    viewer = member_of(organization, Membership.Role.VIEWER)
    register(training, organization, editor)
    answers = {"content": 5, "facilitation": 4, "apply": 3}
    service.feedback_submit(actor=viewer, training=training, answers=answers, comment="Shumë e dobishme")
    with pytest.raises(ValidationError) as exc:
        service.feedback_submit(actor=viewer, training=training, answers=answers)
    assert exc.value.code == "already"
    with pytest.raises(ValidationError):
        service.feedback_submit(actor=editor, training=training, answers={**answers, "apply": 9})
    with pytest.raises(PermissionDenied):
        service.feedback_submit(actor=UserFactory(), training=training, answers=answers)
    assert TrainingFeedback.objects.count() == 1
    from academy import selectors

    summary = selectors.feedback_summary(training)
    assert summary["count"] == 1 and summary["questions"][0][1] == 5


def test_no_feedback_before_the_training_ends():
    training = make_training(phase="today")
    organization, editor = organization_with()
    register(training, organization, editor)
    with pytest.raises(ValidationError) as exc:
        service.feedback_submit(
            actor=editor, training=training, answers={"content": 5, "facilitation": 5, "apply": 5}
        )
    assert exc.value.code == "not_ended"


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 3 3]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"


def test_materials_are_checked_by_content(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    staff = StaffFactory()
    training = make_training()
    with pytest.raises(ValidationError) as exc:
        service.material_add(
            actor=staff, training=training, upload=SimpleUploadedFile("slides.pdf", b"MZ\x90\x00 not a pdf")
        )
    assert exc.value.message_dict["file"]
    assert not training.materials.exists()


def test_training_materials_share_the_session_materials_file_handling(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """One helper for both kinds of material (academy.services.materials): the name without
    the sender's folders (also a Windows path), and the stored file removed only once the
    removal commits (a rollback keeps it)."""
    from django.db import transaction

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    staff = StaffFactory()
    training = make_training()
    material = service.material_add(
        actor=staff, training=training, upload=SimpleUploadedFile("C:\\Users\\arta\\slides.pdf", READABLE_PDF)
    )
    assert material.original_name == "slides.pdf" and material.title == "slides.pdf"
    stored = material.file.name
    storage = material.file.storage

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        service.material_remove(actor=staff, training=training, material_id=material.pk)
        raise Undo
    assert storage.exists(stored) and training.materials.filter(pk=material.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        service.material_remove(actor=staff, training=training, material_id=material.pk)
    assert not storage.exists(stored) and not training.materials.exists()


def test_training_dates_and_places_are_checked():
    staff = StaffFactory()
    now = timezone.now()
    data = {
        "topic": "mapping",
        "title_sq": "Harta",
        "place": "Prizren",
        "places": 10,
        "starts_at": now + timedelta(days=5),
        "ends_at": now + timedelta(days=4),
        "registration_opens_at": now,
        "registration_closes_at": now + timedelta(days=6),
    }
    with pytest.raises(ValidationError) as exc:
        service.training_save(actor=staff, data=data)
    assert set(exc.value.message_dict) == {"ends_at", "registration_closes_at"}
    data.update(ends_at=now + timedelta(days=5, hours=3), registration_closes_at=now + timedelta(days=4))
    training = service.training_save(actor=staff, data=data)
    organization, editor = organization_with()
    register(training, organization, editor)
    with pytest.raises(ValidationError) as exc:
        service.training_save(actor=staff, data={**data, "places": 1}, training=training)
    assert "places" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        service.training_save(actor=editor, data=data)
    assert Training.objects.count() == 1


def test_attendees_follow_their_training():
    training = make_training()
    organization, editor = organization_with()
    register(training, organization, editor)
    assert set(TrainingAttendee.objects.values_list("training_id", flat=True)) == {training.pk}
