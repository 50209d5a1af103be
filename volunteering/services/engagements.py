"""Engagements and their hours: the volunteer logs hours (date, hours, what was done), an
editor of the organisation confirms or disputes them with a reason, the volunteer corrects
disputed hours; the engagement ends as completed or cancelled."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.permissions import require
from volunteering.choices import EngagementStatus, FeedbackOutcome, FeedbackSide, HoursStatus, OpportunityKind
from volunteering.models import Engagement, ExpertFeedback, HoursEntry
from volunteering.workflow import ENGAGEMENT, HOURS

H = HoursStatus
MAX_HOURS_A_DAY = Decimal("24")


def lock(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("opportunity__organization", "profile__user")
        .get(pk=engagement.pk)
    )


def lock_entry(entry: HoursEntry) -> HoursEntry:
    return (
        HoursEntry.objects.select_for_update(of=("self",))
        .select_related("engagement__opportunity__organization", "engagement__profile__user")
        .get(pk=entry.pk)
    )


def _hours_text(hours: Decimal) -> str:
    """Hours as the page's language writes them: 20, 2,5 in sq (`normalize()` alone wrote 20
    as "2E+1")."""
    exact = hours.to_integral_value() if hours == hours.to_integral_value() else hours.normalize()
    return number_format(exact)


def _clean_hours(engagement: Engagement, *, date, hours, description: str, exclude=None) -> Decimal:
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.01"))
        if not hours.is_finite():  # "NaN" passes quantize, then no comparison takes it
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({"hours": _("Enter the hours as a number, e.g. 2.5.")}) from None
    errors = {}
    if hours <= 0:
        errors["hours"] = _("Hours must be more than zero.")
    elif hours > MAX_HOURS_A_DAY:
        errors["hours"] = _("No more than 24 hours in one day.")
    if date is None:
        errors["date"] = _("Enter the date.")
    elif date > timezone.localdate():
        errors["date"] = _("Hours cannot be logged for a day in the future.")
    elif date < timezone.localdate(engagement.created_at) - timezone.timedelta(days=1):
        errors["date"] = _("Hours can be logged only from the start of the engagement.")
    if not (description or "").strip():
        errors["description"] = _("Say what was done.")
    if not errors:
        same_day = engagement.hours.filter(date=date)
        if exclude is not None:
            same_day = same_day.exclude(pk=exclude.pk)
        already = same_day.aggregate(total=Sum("hours"))["total"] or Decimal("0")
        if already + hours > MAX_HOURS_A_DAY:
            errors["hours"] = _(
                "With the %(already)s hours already logged that day, this is more than 24."
            ) % {"already": _hours_text(already)}
    if errors:
        raise ValidationError(errors)
    return hours


@transaction.atomic
def hours_log(*, actor, engagement: Engagement, date, hours, description: str) -> HoursEntry:
    engagement = lock(engagement)
    require(actor, "volunteering.log_hours", engagement)
    if engagement.status != EngagementStatus.ACTIVE:
        raise ValidationError(_("Hours can be logged only on an active engagement."), code="not_active")
    hours = _clean_hours(engagement, date=date, hours=hours, description=description)
    # The form sent twice (a double click): the engagement's row lock above orders the two,
    # and the second finds the first's entry still waiting for confirmation.
    if engagement.hours.filter(
        date=date, hours=hours, description=description.strip()[:500], status=H.LOGGED
    ).exists():
        raise ValidationError(_("These hours are already logged for that day."), code="duplicate")
    return HoursEntry.objects.create(
        engagement=engagement, date=date, hours=hours, description=description.strip()[:500]
    )


@transaction.atomic
def hours_confirm(*, actor, entry: HoursEntry) -> HoursEntry:
    entry = lock_entry(entry)
    if entry.status == H.CONFIRMED:
        return entry
    entry.confirmed_by, entry.confirmed_at = actor, timezone.now()
    HOURS.move(entry, H.CONFIRMED, actor=actor, fields=["confirmed_by", "confirmed_at"])
    return entry


@transaction.atomic
def hours_dispute(*, actor, entry: HoursEntry, reason: str) -> HoursEntry:
    entry = lock_entry(entry)
    if entry.status == H.DISPUTED:
        return entry
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason of the dispute.")})
    entry.dispute_reason = reason.strip()[:500]
    HOURS.move(entry, H.DISPUTED, actor=actor, note=entry.dispute_reason, fields=["dispute_reason"])
    return entry


@transaction.atomic
def hours_correct(*, actor, entry: HoursEntry, date, hours, description: str) -> HoursEntry:
    """The volunteer corrects disputed hours: they wait for confirmation again."""
    entry = lock_entry(entry)
    require(actor, "volunteering.correct_hours", entry)
    HOURS.check(entry.status, H.LOGGED)
    entry.hours = _clean_hours(
        entry.engagement, date=date, hours=hours, description=description, exclude=entry
    )
    entry.date, entry.description = date, description.strip()[:500]
    HOURS.move(entry, H.LOGGED, actor=actor, fields=["hours", "date", "description"], check_perm=False)
    return entry


@transaction.atomic
def engagement_end(*, actor, engagement: Engagement, completed: bool, note: str = "") -> Engagement:
    engagement = lock(engagement)
    target = EngagementStatus.COMPLETED if completed else EngagementStatus.CANCELLED
    if engagement.status == target:
        return engagement
    engagement.ended_at = timezone.now()
    ENGAGEMENT.move(engagement, target, actor=actor, note=note, fields=["ended_at"])
    return engagement


def certificate_issue(*, actor, engagement: Engagement):
    """The certificate of the engagement's confirmed hours (the same one again while they do
    not change), for the volunteer only."""
    from core import certificates
    from volunteering.certificates import KIND

    require(actor, "volunteering.download_certificate", engagement)
    confirmed = engagement.hours.filter(status=H.CONFIRMED)
    totals = confirmed.aggregate(total=Sum("hours"), first=Min("date"), last=Max("date"))
    if not totals["total"]:
        raise ValidationError(_("A certificate needs hours the organisation has confirmed."), code="no_hours")
    user = engagement.profile.user
    facts = {
        "hours": str(totals["total"]),
        "organization": engagement.opportunity.organization.name,
        "opportunity": engagement.opportunity.title,
        "first": totals["first"].isoformat(),
        "last": totals["last"].isoformat(),
    }
    return certificates.issue(
        kind=KIND, holder_name=user.get_full_name(), facts=facts, source=engagement, holder=user
    )


def confirmed_hours(engagement: Engagement) -> Decimal:
    return engagement.hours.filter(status=H.CONFIRMED).aggregate(total=Sum("hours"))["total"] or Decimal("0")


@transaction.atomic
def feedback_give(*, actor, engagement: Engagement, outcome: str, rating: int, would_work_again: bool):
    """The actor's feedback on an ended expert request: the expert's or the organisation's
    side, once per person and once per side (a second try is a ValidationError)."""
    require(actor, "volunteering.give_feedback", engagement)
    engagement = lock(engagement)
    if engagement.opportunity.kind != OpportunityKind.EXPERT_REQUEST:
        raise ValidationError(_("Feedback is asked only on expert requests."), code="not_expert_request")
    if engagement.status == EngagementStatus.ACTIVE:
        raise ValidationError(_("Give your feedback once the request is closed."), code="still_active")
    if outcome not in FeedbackOutcome.values:
        raise ValidationError(_("Choose the outcome from the list."), code="outcome")
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("Give a rating from 1 to 5."), code="rating")
    side = FeedbackSide.EXPERT if engagement.profile.user_id == actor.pk else FeedbackSide.ORGANIZATION
    try:
        with transaction.atomic():
            return ExpertFeedback.objects.create(
                engagement=engagement,
                author=actor,
                side=side,
                outcome=outcome,
                rating=rating,
                would_work_again=bool(would_work_again),
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already given your feedback on this request.")
            if ExpertFeedback.objects.filter(engagement=engagement, author=actor).exists()
            else _("This side has already given its feedback on this request."),
            code="twice",
        ) from None
