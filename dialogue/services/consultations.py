"""Public consultations: staff publish a document split into ordered sections, open it for
comments between two date-times and close it (core.workflow, with history); signed-in people
comment per section while it is open and support others' comments once each; staff answer
every comment (accepted / partly accepted / rejected, with a reason), and may edit an answer."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from dialogue.choices import VERDICTS_WITH_REASON, AnswerVerdict, ConsultationStatus
from dialogue.models import CommentSupport, Consultation, ConsultationComment, ConsultationSection
from dialogue.workflow import CONSULTATION

K = ConsultationStatus
COMMENT_MAX_LENGTH = 3000
REASON_MAX_LENGTH = 3000
# At most this many comments by one person in RATE_WINDOW (all consultations together): a
# flood guard counted in the database (exact, and it holds with or without a cache, unlike
# core.ratelimit's per-address page counter, which fails open), under a lock of the author's row.
RATE_MAX_COMMENTS = 10
RATE_WINDOW = timedelta(minutes=10)

CONSULTATION_FIELDS = (
    "title_sq",
    "title_sr",
    "title_en",
    "introduction_sq",
    "introduction_sr",
    "introduction_en",
    "opens_at",
    "closes_at",
)
SECTION_FIELDS = ("position", "heading_sq", "heading_sr", "heading_en", "body_sq", "body_sr", "body_en")


class TooManyComments(ValidationError):
    """The person commented too often lately (shown as a 429)."""


def check_consultation_data(data: dict) -> None:
    errors = {}
    if not (data.get("title_sq") or "").strip():
        errors["title_sq"] = [_("Give the title in Albanian.")]
    if not (data.get("introduction_sq") or "").strip():
        errors["introduction_sq"] = [_("Give the introduction in Albanian.")]
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        errors["closes_at"] = [_("The consultation must close after it opens.")]
    if errors:
        raise ValidationError(errors)


def consultation_create(*, actor, data: dict, organization=None) -> Consultation:
    require(actor, "dialogue.manage_consultations")
    check_consultation_data(data)
    return Consultation.objects.create(
        organization=organization,
        created_by=actor,
        **{name: data[name] for name in CONSULTATION_FIELDS if name in data},
    )


def consultation_update(*, consultation: Consultation, actor, data: dict, organization=None) -> Consultation:
    require(actor, "dialogue.manage_consultations")
    check_consultation_data(data)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status == K.CLOSED:
            raise ValidationError(_("A closed consultation cannot be changed."), code="closed")
        for name in CONSULTATION_FIELDS:
            if name in data:
                setattr(consultation, name, data[name])
        consultation.organization = organization
        consultation.save()
    return consultation


def consultation_move(*, consultation: Consultation, actor, target: str, note: str = "") -> Consultation:
    """Open (a draft with at least one section) or close a consultation."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status == target:
            return consultation  # a double submit
        if target == K.OPEN and not consultation.sections.exists():
            CONSULTATION.check(consultation.status, target)  # a bad move is refused as such first
            raise ValidationError(
                _("Add at least one section before opening the consultation."), code="no_sections"
            )
        CONSULTATION.move(consultation, target, actor=actor, note=note)
    return consultation


def consultations_close_due(*, now=None) -> int:
    """Close every open consultation past its close date-time (the periodic task); idempotent."""
    now = now or timezone.now()
    closed = 0
    for pk in Consultation.objects.filter(status=K.OPEN, closes_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            consultation = Consultation.objects.select_for_update().get(pk=pk)
            if consultation.status != K.OPEN or consultation.closes_at > now:
                continue
            CONSULTATION.move(
                consultation, K.CLOSED, actor=None, check_perm=False, note="past its close date"
            )
            closed += 1
    return closed


# --- sections --------------------------------------------------------------------------


def _check_section(data: dict) -> None:
    errors = {}
    if not (data.get("heading_sq") or "").strip():
        errors["heading_sq"] = [_("Give the heading in Albanian.")]
    if not (data.get("body_sq") or "").strip():
        errors["body_sq"] = [_("Give the text in Albanian.")]
    if errors:
        raise ValidationError(errors)


def _position_taken(consultation, position, exclude_pk=None) -> bool:
    qs = ConsultationSection.objects.filter(consultation=consultation, position=position)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def next_position(consultation) -> int:
    top = ConsultationSection.objects.filter(consultation=consultation).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _editable(consultation_pk) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation_pk)
    if consultation.status == K.CLOSED:
        raise ValidationError(_("The sections of a closed consultation cannot be changed."), code="closed")
    return consultation


def section_create(*, consultation: Consultation, actor, data: dict) -> ConsultationSection:
    require(actor, "dialogue.manage_consultations")
    _check_section(data)
    with transaction.atomic():
        consultation = _editable(consultation.pk)
        position = data.get("position") or next_position(consultation)
        if _position_taken(consultation, position):
            raise ValidationError({"position": [_("Another section has this position.")]})
        fields = {name: data[name] for name in SECTION_FIELDS if name in data}
        fields["position"] = position
        return ConsultationSection.objects.create(consultation=consultation, **fields)


def section_update(*, section: ConsultationSection, actor, data: dict) -> ConsultationSection:
    require(actor, "dialogue.manage_consultations")
    _check_section(data)
    with transaction.atomic():
        _editable(section.consultation_id)
        section = ConsultationSection.objects.select_for_update().get(pk=section.pk)
        if data.get("position") and _position_taken(section.consultation_id, data["position"], section.pk):
            raise ValidationError({"position": [_("Another section has this position.")]})
        for name in SECTION_FIELDS:
            if name not in data:
                continue
            if name == "position":
                if data[name]:
                    section.position = data[name]
            else:
                setattr(section, name, data[name] or "")
        section.save()
    return section


def section_delete(*, section: ConsultationSection, actor) -> None:
    """Only a section nobody has commented on (comments are never lost)."""
    require(actor, "dialogue.manage_consultations")
    with transaction.atomic():
        _editable(section.consultation_id)
        section = ConsultationSection.objects.select_for_update().get(pk=section.pk)
        if section.comments.exists():
            raise ValidationError(_("A section with comments cannot be removed."), code="has_comments")
        section.delete()


# --- comments, supports, answers -------------------------------------------------------


def _clean_text(text: str, *, max_length: int, empty_message: str, long_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(empty_message, code="empty")
    if len(text) > max_length:
        raise ValidationError(long_message % {"max": max_length}, code="too_long")
    return text


def recent_comment_count(actor, now) -> int:
    """How many comments `actor` sent in the RATE_WINDOW before `now` (every consultation)."""
    return ConsultationComment.objects.filter(author=actor, created_at__gte=now - RATE_WINDOW).count()


def comment_create(*, section: ConsultationSection, actor, body: str, now=None) -> ConsultationComment:
    """A comment on a section of a consultation that is open now."""
    require(actor, "dialogue.comment_on_consultation", section.consultation)
    body = _clean_text(
        body,
        max_length=COMMENT_MAX_LENGTH,
        empty_message=_("Write a comment."),
        long_message=_("A comment has at most %(max)d characters."),
    )
    now = now or timezone.now()
    with transaction.atomic():
        # Lock order: the author's row first (it serialises one person's comments on every
        # consultation, which the rate limit counts together), then the consultation's.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        consultation = Consultation.objects.select_for_update().get(pk=section.consultation_id)
        if not consultation.accepting_comments(now):
            raise ValidationError(_("This consultation is not open for comments."), code="not_open")
        if recent_comment_count(actor, now) >= RATE_MAX_COMMENTS:
            raise TooManyComments(
                _("You have sent many comments in a short time. Please wait a few minutes."),
                code="rate_limited",
            )
        return ConsultationComment.objects.create(section_id=section.pk, author=actor, body=body)


def comment_support(*, comment: ConsultationComment, actor) -> CommentSupport:
    """`actor` supports someone else's comment, once, while the consultation is open."""
    require(actor, "dialogue.support_comment", comment)
    if comment.author_id == actor.pk:
        raise ValidationError(_("You cannot support your own comment."), code="own_comment")
    consultation = comment.section.consultation
    if not consultation.accepting_comments():
        raise ValidationError(_("This consultation is not open for comments."), code="not_open")
    try:
        with transaction.atomic():
            return CommentSupport.objects.create(comment=comment, user=actor)
    except IntegrityError:
        raise ValidationError(_("You already support this comment."), code="already_supported") from None


def comment_answer(
    *, comment: ConsultationComment, actor, verdict: str, reason: str = ""
) -> ConsultationComment:
    """The organiser's answer to a comment; answering again edits the answer."""
    require(actor, "dialogue.answer_comment", comment)
    if verdict not in AnswerVerdict.values:
        raise ValidationError({"verdict": [_("Choose accepted, partly accepted or rejected.")]})
    reason = (reason or "").strip()
    if verdict in VERDICTS_WITH_REASON and not reason:
        raise ValidationError({"reason": [_("Give the reason of a rejection or a partial acceptance.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [_("A reason has at most %(max)d characters.") % {"max": REASON_MAX_LENGTH}]}
        )
    with transaction.atomic():
        comment = (
            ConsultationComment.objects.select_for_update(of=("self",))
            .select_related("section__consultation")
            .get(pk=comment.pk)
        )
        if not comment.section.consultation.is_public:
            raise ValidationError(_("Comments are answered on a published consultation."), code="not_public")
        comment.verdict = verdict
        comment.reason = reason
        comment.answered_by = actor
        comment.answered_at = timezone.now()
        comment.save(update_fields=["verdict", "reason", "answered_by", "answered_at", "updated_at"])
    return comment
