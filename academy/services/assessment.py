"""The organisational self-assessment: an organisation's editors answer the questionnaire
(kept as data in the admin) once as a baseline, before the first training it attends, and once
as a follow-up, which opens six months after the baseline."""

import calendar
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from academy.choices import AssessmentKind
from academy.models import FOLLOW_UP_AFTER_MONTHS, AssessmentAnswer, AssessmentQuestion, SelfAssessment


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def follow_up_opens_at(baseline: SelfAssessment) -> datetime:
    return add_months(timezone.localtime(baseline.submitted_at), FOLLOW_UP_AFTER_MONTHS)


def active_questions():
    return AssessmentQuestion.objects.filter(is_active=True).select_related("area")


def _scores(answers: dict, questions) -> dict[int, int]:
    scores = {}
    missing = False
    for question in questions:
        raw = answers.get(question.pk, answers.get(str(question.pk)))
        try:
            value = int(raw)
        except (TypeError, ValueError):
            missing = True
            continue
        if not 1 <= value <= 5:
            raise ValidationError(_("Answer every question from 1 to 5."), code="out_of_range")
        scores[question.pk] = value
    if missing or not scores:
        raise ValidationError(_("Answer every question from 1 to 5."), code="incomplete")
    return scores


@transaction.atomic
def assessment_submit(*, actor, organization, kind: str, answers: dict, now=None) -> SelfAssessment:
    """Record the organisation's baseline or follow-up (once each)."""
    if not actor.has_perm("academy.fill_organization_assessment", organization):
        raise PermissionDenied(_("Only the organisation's owners and editors fill its self-assessment."))
    if kind not in AssessmentKind.values:
        raise ValidationError(_("Choose from the list."), code="invalid_choice")
    now = now or timezone.now()
    existing = {a.kind: a for a in SelfAssessment.objects.filter(organization=organization)}
    if kind in existing:
        raise ValidationError(_("This self-assessment was already filled in."), code="already")
    if kind == AssessmentKind.FOLLOW_UP:
        baseline = existing.get(AssessmentKind.BASELINE)
        if baseline is None:
            raise ValidationError(_("Fill in the baseline first."), code="no_baseline")
        opens = follow_up_opens_at(baseline)
        if now < opens:
            raise ValidationError(
                _("The follow-up opens six months after the baseline, on %(date)s.")
                % {"date": formats.date_format(opens, "DATE_FORMAT")},
                code="too_early",
            )
    questions = list(active_questions())
    if not questions:
        raise ValidationError(_("The questionnaire is not ready yet."), code="no_questions")
    scores = _scores(answers, questions)
    try:
        with transaction.atomic():
            assessment = SelfAssessment.objects.create(
                organization=organization, kind=kind, submitted_by=actor, submitted_at=now
            )
    except IntegrityError:
        raise ValidationError(_("This self-assessment was already filled in."), code="already") from None
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, question_id=pk, score=score) for pk, score in scores.items()
    )
    return assessment
