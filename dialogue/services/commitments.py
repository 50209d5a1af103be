"""Commitments made at an event: recorded by the event's organiser or by an editor of the
committed organisation, updated (and moved along their workflow) only by the committed
organisation's editors; overdue ones are moved to "late" by a daily task. Comments are
moderated by staff."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from dialogue.choices import CLOSED_COMMITMENT, CommentStatus, CommitmentStatus
from dialogue.models import Commitment, CommitmentComment, Event
from dialogue.rules import editable_organization_ids
from dialogue.workflow import COMMITMENT

C = CommitmentStatus
MAX_LINKS = 10


def clean_evidence_links(links) -> list[str]:
    """http(s) addresses, one per item, at most MAX_LINKS; a ValidationError otherwise."""
    from django.core.validators import URLValidator

    validate = URLValidator(schemes=["http", "https"])
    cleaned = []
    for link in links or []:
        link = str(link).strip()
        if not link:
            continue
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                _("“%(link)s” is not a web address (http:// or https://).") % {"link": link[:100]},
                code="bad_link",
            ) from None
        if link not in cleaned:
            cleaned.append(link[:500])
    if len(cleaned) > MAX_LINKS:
        raise ValidationError(
            _("Give at most %(max)d evidence links.") % {"max": MAX_LINKS}, code="too_many_links"
        )
    return cleaned


def check_strategy_measure(measure_id) -> int | None:
    """The id of a Strategy measure of transparency, checked to exist (None for none)."""
    if measure_id in (None, ""):
        return None
    if not apps.is_installed("transparency"):
        raise ValidationError(_("Strategy measures are not available."), code="no_strategy")
    from transparency.selectors import strategy as strategy_selectors

    try:
        measure_id = int(measure_id)
    except (TypeError, ValueError):
        raise ValidationError(_("There is no such Strategy measure."), code="no_measure") from None
    if not strategy_selectors.public_measures().filter(pk=measure_id).exists():
        raise ValidationError(_("There is no such Strategy measure."), code="no_measure")
    return measure_id


def _may_record(actor, event: Event, organization) -> bool:
    return actor.has_perm("dialogue.change_event", event) or organization.pk in editable_organization_ids(
        actor
    )


def commitment_create(
    *,
    event: Event,
    organization,
    what: str,
    due_date,
    actor,
    indicator: str = "",
    evidence_links=(),
    strategy_measure_id=None,
) -> Commitment:
    """Record a commitment of `organization` (an organisation of the registry) made at `event`."""
    require(actor, "dialogue.record_commitment", event)
    if organization is None or not getattr(organization, "pk", None):
        raise ValidationError(_("Choose an organisation of the registry."), code="no_organization")
    if not _may_record(actor, event, organization):
        raise PermissionDenied(
            _("Only the event's organiser or the organisation's editors may record its commitments.")
        )
    if not event.is_public:
        raise ValidationError(_("Commitments are recorded for published events."), code="event_not_public")
    what = (what or "").strip()
    if not what:
        raise ValidationError(_("Say what was committed."), code="what_missing")
    commitment = Commitment.objects.create(
        event=event,
        organization=organization,
        what=what,
        due_date=due_date,
        indicator=(indicator or "").strip(),
        evidence_links=clean_evidence_links(evidence_links),
        strategy_measure_id=check_strategy_measure(strategy_measure_id),
        created_by=actor,
    )
    return commitment


EDITABLE_FIELDS = ("what", "due_date", "indicator", "progress_note", "evidence_links", "strategy_measure_id")


def token_may_update(token, commitment: Commitment) -> bool:
    """A partner API token acts for its organisation: it updates that organisation's
    commitments when it is active and holds `dialogue:write`, whoever created it (a staff
    member who set it up for the partner need not edit the organisation)."""
    from organizations.models import ApiToken

    return (
        isinstance(token, ApiToken)
        and token.is_active
        and token.has_scope(ApiToken.Scope.DIALOGUE_WRITE)
        and token.organization_id == commitment.organization_id
    )


def commitment_update(
    *, commitment: Commitment, actor, status: str | None = None, note: str = "", token=None, **changes
) -> Commitment:
    """Change a commitment's fields and/or move its status (one StatusChange per move). The
    committed organisation's editors only, or a partner token of that organisation with the
    scope `dialogue:write` (`token`: the decision is the token's organisation and scope, not
    its creator's membership)."""
    by_token = token is not None
    if by_token:
        if not token_may_update(token, commitment):
            raise PermissionDenied(_("This token may not update the commitments of this organisation."))
    else:
        require(actor, "dialogue.update_commitment", commitment)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if "evidence_links" in changes:
            changes["evidence_links"] = clean_evidence_links(changes["evidence_links"])
        if "strategy_measure_id" in changes:
            changes["strategy_measure_id"] = check_strategy_measure(changes["strategy_measure_id"])
        if "what" in changes:
            changes["what"] = (changes["what"] or "").strip()
            if not changes["what"]:
                raise ValidationError(_("Say what was committed."), code="what_missing")
        changed = [name for name, value in changes.items() if getattr(commitment, name) != value]
        for name in changed:
            setattr(commitment, name, changes[name])
        if changed:
            commitment.save(update_fields=[*changed, "updated_at"])
        if "due_date" in changed:  # a new date: its reminders are due again
            from core.reminders import forget

            forget([REMINDER_DUE_SOON, REMINDER_OVERDUE], [commitment.pk])
        if status and status != commitment.status:
            if by_token and COMMITMENT.check(commitment.status, status) != "dialogue.update_commitment":
                # e.g. "late", which only the daily task or staff set
                raise PermissionDenied(_("This token may not make this change."))
            COMMITMENT.move(commitment, status, actor=actor, note=note, check_perm=not by_token)
    return commitment


def commitments_mark_late(*, today=None) -> int:
    """Move every open commitment past its date to "late" (the daily task); idempotent."""
    today = today or timezone.localdate()
    moved = 0
    ids = list(
        Commitment.objects.filter(due_date__lt=today, status__in=(C.PLANNED, C.IN_PROGRESS)).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            commitment = Commitment.objects.select_for_update().get(pk=pk)
            if (
                commitment.status in CLOSED_COMMITMENT
                or commitment.status == C.LATE
                or commitment.due_date >= today
            ):
                continue
            COMMITMENT.move(commitment, C.LATE, actor=None, check_perm=False, note="past its date")
            moved += 1
    return moved


def comment_create(*, commitment: Commitment, actor, body: str) -> CommitmentComment:
    require(actor, "dialogue.comment_on_commitment", commitment)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a comment."), code="empty")
    return CommitmentComment.objects.create(commitment=commitment, author=actor, body=body[:3000])


def comment_moderate(*, comment: CommitmentComment, actor, status: str) -> CommitmentComment:
    require(actor, "dialogue.moderate_comments")
    if status not in (CommentStatus.APPROVED, CommentStatus.REJECTED):
        raise ValidationError(_("Publish or reject the comment."), code="bad_status")
    with transaction.atomic():
        comment = CommitmentComment.objects.select_for_update().get(pk=comment.pk)
        comment.status = status
        comment.moderated_by = actor
        comment.moderated_at = timezone.now()
        comment.save(update_fields=["status", "moderated_by", "moderated_at", "updated_at"])
    return comment


REMINDER_DUE_SOON = "dialogue.commitment_due_soon"
REMINDER_OVERDUE = "dialogue.commitment_overdue"
DUE_SOON_DAYS = 14
OVERDUE_WINDOW_DAYS = 30  # an overdue reminder for a date passed longer ago is not sent any more


def commitment_reminders_send(*, today=None) -> int:
    """Remind the committed organisation's editors 14 days before a commitment's date and on
    the day after it (each once per person, core.reminders), in their language."""
    from datetime import timedelta

    from core.reminders import already_sent, remind_once
    from organizations.models import Membership

    today = today or timezone.localdate()
    open_ones = Commitment.objects.exclude(status__in=CLOSED_COMMITMENT).select_related(
        "organization", "event"
    )
    batches = [
        (
            REMINDER_DUE_SOON,
            "dialogue/email/commitment_due_soon",
            open_ones.filter(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)),
        ),
        (
            REMINDER_OVERDUE,
            "dialogue/email/commitment_overdue",
            open_ones.filter(due_date__lt=today, due_date__gte=today - timedelta(days=OVERDUE_WINDOW_DAYS)),
        ),
    ]
    sent_count = 0
    for kind, template, commitments in batches:
        commitments = list(commitments)
        if not commitments:
            continue
        sent = already_sent(kind, object_ids=[commitment.pk for commitment in commitments])
        editors: dict[int, list] = {}
        for membership in Membership.objects.filter(
            organization_id__in={c.organization_id for c in commitments},
            role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
            user__is_active=True,
        ).select_related("user"):
            editors.setdefault(membership.organization_id, []).append(membership.user)
        for commitment in commitments:
            for user in editors.get(commitment.organization_id, []):
                if (commitment.pk, user.pk) in sent:
                    continue
                if remind_once(
                    kind=kind,
                    object_id=commitment.pk,
                    user=user,
                    template=template,
                    context={"commitment": commitment},
                ):
                    sent_count += 1
    return sent_count
