"""The trust survey: a person with a place at a public event answers, once before and once
after it, how much they trust each sector (1–5). A second answer is refused with a clear
message (and by the database's unique constraint under a race)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from dialogue.choices import HOLDS_PLACE, SurveyMoment
from dialogue.models import TRUST_FIELDS, Event, Registration, TrustAnswer


def survey_registration(user, event: Event) -> Registration | None:
    """The registration of `user` that holds a place at `event` (who may answer), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user, status__in=HOLDS_PLACE).first()


def moment_open(event: Event, moment: str, now=None) -> bool:
    """ "Before" until the event ends; "after" from its start (for a published event)."""
    now = now or timezone.now()
    if event.status != "published":
        return False
    if moment == SurveyMoment.BEFORE:
        return now < event.ends_at
    if moment == SurveyMoment.AFTER:
        return now >= event.starts_at
    return False


def already_answered(registration: Registration | None, moment: str) -> bool:
    return (
        registration is not None
        and TrustAnswer.objects.filter(registration=registration, moment=moment).exists()
    )


def trust_answer(*, event: Event, actor, moment: str, scores: dict) -> TrustAnswer:
    """Record `actor`'s answers; `scores` maps each Audience value to 1..5."""
    require(actor, "dialogue.answer_trust_survey", event)
    if moment not in SurveyMoment.values:
        raise ValidationError(_("There is no such survey."), code="bad_moment")
    registration = survey_registration(actor, event)
    if registration is None:
        raise ValidationError(
            _("Only people with a place at this event answer its trust survey."), code="not_registered"
        )
    if not moment_open(event, moment):
        raise ValidationError(
            _("This survey is answered before the event ends.")
            if moment == SurveyMoment.BEFORE
            else _("This survey opens when the event starts."),
            code="survey_closed",
        )
    values = {}
    for audience, field in TRUST_FIELDS.items():
        try:
            value = int(scores.get(audience))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise ValidationError(_("Answer every question with a number from 1 to 5."), code="bad_score")
        values[field] = value
    refusal = ValidationError(_("You have already answered this survey."), code="already_answered")
    if already_answered(registration, moment):
        raise refusal
    try:
        with transaction.atomic():
            return TrustAnswer.objects.create(event=event, registration=registration, moment=moment, **values)
    except IntegrityError:
        raise refusal from None
