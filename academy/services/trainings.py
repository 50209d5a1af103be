"""CSO capacity trainings: staff set them up and upload materials; an editor of an
organisation registers it with the names of the staff who attend (one registration per
organisation, within the window and the places, editable until the training starts); staff
mark attendance with one tap; members of the registered organisations give feedback after it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from academy.choices import FEEDBACK_QUESTIONS, TrainingTopic
from academy.models import (
    Training,
    TrainingAttendee,
    TrainingFeedback,
    TrainingMaterial,
    TrainingRegistration,
)
from academy.rules import forget_trainings
from academy.services import materials
from academy.services.common import require
from organizations.selectors import organizations_editable_by

MAX_ATTENDEES_PER_ORGANIZATION = 50
TRAINING_FIELDS = (
    "topic",
    "title_sq",
    "title_sr",
    "title_en",
    "description_sq",
    "description_sr",
    "description_en",
    "starts_at",
    "ends_at",
    "place",
    "online_link",
    "places",
    "registration_opens_at",
    "registration_closes_at",
)


def _check_training(data: dict, training: Training | None) -> None:
    errors = {}
    if data.get("topic") not in TrainingTopic.values:
        errors["topic"] = _("Choose from the list.")
    if not (data.get("title_sq") or "").strip():
        errors["title_sq"] = _("Give the training a title in Albanian.")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The training must end after it starts.")
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    elif closes and starts and closes > starts:
        errors["registration_closes_at"] = _("Registration must close before the training starts.")
    if not (data.get("place") or "").strip() and not (data.get("online_link") or "").strip():
        errors["place"] = _("Give a place or an online link.")
    places = data.get("places") or 0
    if places < 1:
        errors["places"] = _("Give at least one place.")
    elif training is not None:
        taken = training.attendees.count()
        if places < taken:
            errors["places"] = _(
                "%(count)s people are already registered: give at least that many places."
            ) % {"count": taken}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def training_save(*, actor, data: dict, training: Training | None = None) -> Training:
    """Create a training, or change one (its row locked)."""
    require(actor, "academy.manage_trainings")
    if training is not None:
        training = Training.objects.select_for_update().get(pk=training.pk)
    _check_training(data, training)
    if training is None:
        training = Training(created_by=actor)
    for name in TRAINING_FIELDS:
        if name in data:
            value = data[name]
            setattr(training, name, value.strip() if isinstance(value, str) else value)
    training.save()
    return training


@transaction.atomic
def material_add(*, actor, training: Training, upload, title: str = "") -> TrainingMaterial:
    """A file of the training, checked by its content (core.validators), kept private."""
    require(actor, "academy.manage_trainings")
    kind, name = materials.checked_file(
        upload, message=_("Upload a PDF, Word, Excel, OpenDocument text, PNG or JPEG file.")
    )
    return TrainingMaterial.objects.create(
        training=training,
        title=(title or "").strip()[:200] or name[:200],
        file=upload,
        file_type=kind,
        original_name=name,
        uploaded_by=actor,
    )


@transaction.atomic
def material_remove(*, actor, training: Training, material_id) -> None:
    require(actor, "academy.manage_trainings")
    material = TrainingMaterial.objects.filter(training=training, pk=_int(material_id)).first()
    if material is None:
        raise ValidationError(_("Choose from the list."), code="invalid_choice")
    materials.delete_after_commit(material)


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


def clean_attendees(rows) -> list[tuple[str, str]]:
    """(name, email) pairs: blank rows dropped, names required, emails checked."""
    clean = []
    for name, email in rows:
        name, email = (name or "").strip()[:150], (email or "").strip().lower()[:254]
        if not name and not email:
            continue
        if not name:
            raise ValidationError(_("Give the name of every person who attends."), code="name_missing")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(email)s” is not a valid email address.") % {"email": email}, code="invalid_email"
                ) from None
        clean.append((name, email))
    if not clean:
        raise ValidationError(_("Name at least one person who attends."), code="no_attendees")
    if len(clean) > MAX_ATTENDEES_PER_ORGANIZATION:
        raise ValidationError(
            _("An organisation registers at most %(count)s people.")
            % {"count": MAX_ATTENDEES_PER_ORGANIZATION},
            code="too_many",
        )
    return clean


def editable_organization(actor, organization_id):
    """The organisation, if `actor` may act for it (owner or editor), else PermissionDenied."""
    organization = organizations_editable_by(user=actor).filter(pk=_int(organization_id)).first()
    if organization is None:
        raise PermissionDenied(_("You can register only an organisation whose profile you edit."))
    return organization


@transaction.atomic
def registration_save(
    *, actor, training: Training, organization_id, attendees, registration_id=None, now=None
) -> TrainingRegistration:
    """Register an organisation (or change its registration) with the people who attend.

    The training's row is locked first, so that two organisations registering at the same
    time never take more than its places. A new registration only while registration is
    open; an existing one may be changed until the training starts. One per organisation:
    a second "new" registration is refused (edit the first one)."""
    require(actor, "academy.register_for_training", training)
    organization = editable_organization(actor, organization_id)
    people = clean_attendees(attendees)
    now = now or timezone.now()
    training = Training.objects.select_for_update().get(pk=training.pk)
    registration = TrainingRegistration.objects.filter(training=training, organization=organization).first()
    if registration is None:
        if registration_id:
            raise ValidationError(_("Choose from the list."), code="invalid_choice")
        if not training.registration_is_open(now):
            raise ValidationError(_("Registration for this training is not open."), code="closed")
    else:
        if not registration_id or _int(registration_id) != registration.pk:
            raise ValidationError(
                _(
                    "Your organisation is already registered for this training: change its registration instead."
                ),
                code="already_registered",
            )
        if training.has_started(now):
            raise ValidationError(
                _("The training has started: its registrations can no longer be changed."), code="started"
            )
    taken = TrainingAttendee.objects.filter(training=training).exclude(registration=registration).count()
    free = training.places - taken
    if len(people) > free:
        raise ValidationError(
            ngettext(
                "Only %(count)d place is left.",
                "Only %(count)d places are left.",
                max(free, 0),
            )
            % {"count": max(free, 0)},
            code="full",
        )
    if registration is None:
        registration = TrainingRegistration.objects.create(
            training=training, organization=organization, registered_by=actor
        )
    else:
        registration.registered_by = actor
        registration.save(update_fields=["registered_by", "updated_at"])
        registration.attendees.all().delete()
    TrainingAttendee.objects.bulk_create(
        TrainingAttendee(registration=registration, training=training, name=name, email=email)
        for name, email in people
    )
    forget_trainings(actor)
    return registration


def attendance_is_open(training: Training, now=None) -> bool:
    """Attendance is taken from the day the training starts to the day it ends (Belgrade)."""
    today = timezone.localdate(now or timezone.now())
    return timezone.localdate(training.starts_at) <= today <= timezone.localdate(training.ends_at)


@transaction.atomic
def attendance_mark(*, actor, training: Training, attendee_id, present: bool, now=None) -> TrainingAttendee:
    """One tap: an attendee of this training present (or absent again); a second tap is harmless."""
    require(actor, "academy.manage_trainings")
    if not attendance_is_open(training, now):
        raise ValidationError(
            _("Attendance is taken from the day the training starts to the day it ends."), code="not_running"
        )
    attendee = (
        TrainingAttendee.objects.select_for_update().filter(training=training, pk=_int(attendee_id)).first()
    )
    if attendee is None:
        raise ValidationError(_("This person is not registered for this training."), code="not_attendee")
    attendee.present = bool(present)
    attendee.marked_by, attendee.marked_at = actor, timezone.now()
    attendee.save(update_fields=["present", "marked_by", "marked_at"])
    return attendee


QUESTION_FIELDS = tuple(name for name, _label in FEEDBACK_QUESTIONS)


@transaction.atomic
def feedback_submit(*, actor, training: Training, answers: dict, comment: str = "") -> TrainingFeedback:
    """The feedback form, once per person, after the training, from a member of a registered
    organisation."""
    if not actor.has_perm("academy.give_training_feedback", training):
        if not training.has_ended():
            raise ValidationError(_("The feedback form opens when the training ends."), code="not_ended")
        raise PermissionDenied(_("Only members of the registered organisations give feedback."))
    scores = {}
    for name in QUESTION_FIELDS:
        value = _int(answers.get(name))
        if not 1 <= value <= 5:
            raise ValidationError({name: _("Answer from 1 to 5.")})
        scores[name] = value
    registration = (
        TrainingRegistration.objects.filter(training=training, organization__memberships__user=actor)
        .order_by("pk")
        .first()
    )
    if TrainingFeedback.objects.filter(training=training, author=actor).exists():
        raise ValidationError(_("You have already given your feedback on this training."), code="already")
    try:
        with transaction.atomic():
            return TrainingFeedback.objects.create(
                training=training,
                registration=registration,
                author=actor,
                comment=(comment or "").strip()[:5000],
                **scores,
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already given your feedback on this training."), code="already"
        ) from None
