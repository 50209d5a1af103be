"""Every write to the giving tracker: entry, confirmation, moderation. Each runs in one
transaction, locks the row it changes and checks permission again."""

import hashlib
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.notifications import email_user_template
from core.permissions import has_staff_powers
from core.permissions import require as _require
from giving.aggregates import refresh_on_commit
from giving.choices import DIASPORA_DONOR_TYPES, Confidence, Geography, Source, Status
from giving.models import GivingRecord
from giving.workflow import ACTION_TARGET, RECORD, REJECT, REOPEN, VERIFY  # noqa: F401  (REOPEN: re-exported)

NEAR_DUPLICATE_DAYS = 7
NEAR_DUPLICATE_AMOUNT_SHARE = Decimal("0.02")  # amounts within 2 % of each other


def _norm(value) -> str:
    return " ".join(str(value or "").lower().split())


def record_fingerprint(data: dict) -> str:
    """The natural key of a gift: same date, amount, donor, recipient, place and cause.

    Re-importing a file or retrying a submission yields the same fingerprint, so the
    duplicate is recognised; `data` holds model field values (objects or ids)."""

    def _id(name):
        value = data.get(name)
        return getattr(value, "pk", value) or ""

    parts = [
        str(data.get("date") or ""),
        f"{Decimal(str(data.get('amount') or 0)):.2f}",
        _norm(data.get("donor_type")),
        _norm(data.get("donor_name")),
        str(_id("donor_organization")),
        _norm(data.get("recipient_type")),
        _norm(data.get("recipient_name")),
        str(_id("recipient_organization")),
        _norm(data.get("geography") or Geography.MUNICIPALITY),
        str(_id("municipality")),
        _norm(data.get("cause")),
        _norm(data.get("support_kind")),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def find_near_duplicate(record: GivingRecord) -> GivingRecord | None:
    """A different, not rejected record that looks like the same gift: same recipient type,
    place and cause, amount within 2 %, date within a week."""
    amount = Decimal(record.amount)
    qs = GivingRecord.objects.exclude(status=Status.REJECTED).filter(
        recipient_type=record.recipient_type,
        cause=record.cause,
        geography=record.geography,
        municipality_id=record.municipality_id,
        amount__gte=amount * (1 - NEAR_DUPLICATE_AMOUNT_SHARE),
        amount__lte=amount * (1 + NEAR_DUPLICATE_AMOUNT_SHARE),
        date__gte=record.date - timedelta(days=NEAR_DUPLICATE_DAYS),
        date__lte=record.date + timedelta(days=NEAR_DUPLICATE_DAYS),
    )
    if record.pk:
        qs = qs.exclude(pk=record.pk)
    if record.recipient_organization_id:
        qs = qs.filter(recipient_organization_id=record.recipient_organization_id)
    return qs.order_by("pk").first()


def compute_confidence(record: GivingRecord) -> str:
    if record.confirmed_by_donor_at and record.confirmed_by_recipient_at:
        return Confidence.CONFIRMED_BOTH
    if record.source == Source.MEDIA and not (
        record.confirmed_by_donor_at or record.confirmed_by_recipient_at
    ):
        return Confidence.MEDIA_ONLY
    return Confidence.SELF_REPORTED


def prepare_record(record: GivingRecord) -> GivingRecord:
    """Fill the derived fields (diaspora flag, fingerprint, confidence) and validate.
    Raises ValidationError with field errors; used by every path that creates records."""
    record.is_diaspora = record.donor_type in DIASPORA_DONOR_TYPES
    if record.geography != Geography.MUNICIPALITY:
        record.municipality = None
    record.confidence = compute_confidence(record)
    record.full_clean(exclude=["fingerprint"])
    record.fingerprint = record_fingerprint(
        {f.name: getattr(record, f.name) for f in record._meta.concrete_fields}
    )
    return record


class DuplicateRecord(ValidationError):
    """The same gift (same fingerprint) is already recorded."""

    def __init__(self, existing: GivingRecord):
        super().__init__(_("This gift is already recorded."), code="duplicate")
        self.existing = existing


@transaction.atomic
def record_create(
    *,
    actor,
    data: dict,
    source: str,
    entered_for=None,
    status: str = Status.REPORTED,
    allow_duplicate: bool = False,
) -> GivingRecord:
    """Create one record from model field values. Refuses an exact duplicate (same
    fingerprint, not rejected) that the caller may be told about (`duplicates_told`) with
    DuplicateRecord; flags any other one, and a near duplicate, for review.
    Permission is the caller's: `giving.add_record` for the web, a `giving:write` token
    for the API, anyone for a public report (which stays `reported`)."""
    record = GivingRecord(
        **data,
        source=source,
        status=status,
        entered_by=actor if getattr(actor, "pk", None) else None,
        entered_for=entered_for,
    )
    prepare_record(record)
    if not allow_duplicate:
        told, existing = _exact_duplicates(record, actor=actor, organization=entered_for)
        if told is not None:
            raise DuplicateRecord(told)
        record.possible_duplicate_of = existing  # another's: for the moderators, the caller is not told
    if record.possible_duplicate_of is None:
        record.possible_duplicate_of = find_near_duplicate(record)
    if status == Status.VERIFIED:
        record.reviewed_by = actor
        record.reviewed_at = timezone.now()
    if getattr(actor, "pk", None):
        record._history_user = actor  # history names the actor outside a request too
    record.save()
    if record.status == Status.VERIFIED:  # only verified records are counted
        refresh_on_commit([record.date])
    return record


# --- Entry by people (web forms) -----------------------------------------------------------

# The fields a person enters; `record_update` changes only these.
EDITABLE_FIELDS = (
    "date",
    "amount",
    "support_kind",
    "donor_type",
    "donor_name",
    "donor_name_public",
    "donor_organization",
    "donor_country",
    "diaspora_channel",
    "recipient_type",
    "recipient_name",
    "recipient_organization",
    "cause",
    "beneficiary_group",
    "geography",
    "municipality",
    "recurrence",
    "effect",
    "description",
    "source_url",
)
# A change to any of these is a different gift: the confirmations no longer hold.
_CONFIRMED_FACTS = (
    "date",
    "amount",
    "support_kind",
    "donor_type",
    "donor_organization",
    "recipient_type",
    "recipient_organization",
)


def duplicates_told(queryset, *, actor, organization=None):
    """Of these existing records (exact duplicates of what a caller sends), the ones the caller
    may be told about: every one for staff, else those the caller entered or entered for
    their organisation. Another organisation's record — a private donor name, an unverified
    record — is never confirmed by a refusal (a "duplicate" answer to a guessed donor name
    would reveal it): the new record is saved as reported, which is not public, and KCSF's
    moderators see it flagged as a possible duplicate, as a near duplicate would be."""
    if has_staff_powers(actor):
        return queryset
    mine = Q(pk__in=[])
    if getattr(actor, "pk", None):
        mine |= Q(entered_by=actor)
    if organization is not None:
        mine |= Q(entered_for=organization)
    return queryset.filter(mine)


def _exact_duplicates(record: GivingRecord, *, actor, organization):
    """(a duplicate the caller may be told about, else any duplicate) of `record`."""
    qs = GivingRecord.objects.filter(fingerprint=record.fingerprint).exclude(status=Status.REJECTED)
    if record.pk:
        qs = qs.exclude(pk=record.pk)
    qs = qs.order_by("pk")
    return duplicates_told(qs, actor=actor, organization=organization).first(), qs.first()


def _lock(record: GivingRecord) -> GivingRecord:
    return GivingRecord.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def record_update(*, actor, record: GivingRecord, data: dict, source: str | None = None) -> GivingRecord:
    """Change the entered fields of a record (`giving.change_record`: staff, or the person
    who entered it while it is `reported`). Refuses to turn it into an exact duplicate of
    another record; re-checks near duplicates; a change of the facts clears confirmations."""
    record = _lock(record)
    _require(actor, "giving.change_record", record)
    before = {name: getattr(record, name) for name in _CONFIRMED_FACTS}
    old_date = record.date
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"record_update cannot change {name!r}")
        setattr(record, name, value)
    if source is not None:
        record.source = source
    if any(getattr(record, name) != value for name, value in before.items()):
        record.confirmed_by_donor_at = None
        record.confirmed_by_recipient_at = None
    prepare_record(record)
    told, existing = _exact_duplicates(record, actor=actor, organization=record.entered_for)
    if told is not None:
        raise DuplicateRecord(told)
    record.possible_duplicate_of = existing or find_near_duplicate(record)
    record._history_user = actor
    record.save(
        update_fields=[
            *EDITABLE_FIELDS,
            "source",
            "is_diaspora",
            "confidence",
            "fingerprint",
            "possible_duplicate_of",
            "confirmed_by_donor_at",
            "confirmed_by_recipient_at",
            "updated_at",
        ]
    )
    if record.status == Status.VERIFIED:  # staff edit a public record: old and new month
        refresh_on_commit([old_date, record.date])
    return record


@transaction.atomic
def record_report_public(*, data: dict, reporter_email: str = "") -> GivingRecord:
    """A visitor reports a gift they saw: saved as `reported`, source public. The
    reporter's address (optional) is stored in `reporter_email`, seen by staff only; the
    reporter is emailed when staff verify or reject the report."""
    record = record_create(actor=None, data=data, source=Source.PUBLIC)
    reporter_email = (reporter_email or "").strip()
    if reporter_email:
        GivingRecord.objects.filter(pk=record.pk).update(reporter_email=reporter_email)
        record.reporter_email = reporter_email
        record.history.filter(history_type="+").update(reporter_email=reporter_email)
    return record


# --- Moderation -----------------------------------------------------------------------------

_MODERATION_FIELDS = ["rejection_reason", "reviewed_by", "reviewed_at"]


def available_transitions(user, record: GivingRecord) -> list[str]:
    """The moderation actions `user` may take on `record` now (for drawing buttons)."""
    actions = {target: action for action, target in ACTION_TARGET.items()}
    return [actions[target] for target, _label in RECORD.available_moves(user, record)]


def _check_move(actor, record: GivingRecord, target: str) -> None:
    _require(actor, RECORD.check(record.status, target), record)


def _apply_move(
    *, actor, record: GivingRecord, target: str, reason: str = "", refresh: bool = True
) -> GivingRecord:
    """The move itself on a locked row: caller holds the transaction. A move into or out of
    `verified` changes the public numbers: their month is refreshed after commit (unless
    `refresh` is False: the caller refreshes the months of all its moves at once)."""
    was_public = record.status == Status.VERIFIED
    _check_move(actor, record, target)
    if target == Status.REJECTED:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give a reason for the rejection.")}, code="reason_required")
        record.rejection_reason = reason
    else:
        record.rejection_reason = ""
    if target == Status.REPORTED:  # reopened: back in the queue, not reviewed
        record.reviewed_by = None
        record.reviewed_at = None
    else:
        record.reviewed_by = actor
        record.reviewed_at = timezone.now()
    record._change_reason = {
        Status.VERIFIED: "verified",
        Status.REJECTED: "rejected",
        Status.REPORTED: "reopened",
    }[target]
    note = record.rejection_reason if target == Status.REJECTED else ""
    RECORD.move(record, target, actor=actor, note=note, fields=_MODERATION_FIELDS, check_perm=False)
    if refresh and (was_public or target == Status.VERIFIED):
        refresh_on_commit([record.date])
    if target in (Status.VERIFIED, Status.REJECTED):
        _notify_reviewed(actor=actor, record=record)
    return record


def _notify_reviewed(*, actor, record: GivingRecord) -> None:
    """Tell the person who entered the record (in their language), unless they moderated
    it themselves, and the visitor who reported it publicly (in the current language). The
    email leaves after commit (core.notifications)."""
    if record.reporter_email:
        name = "report_verified" if record.status == Status.VERIFIED else "report_rejected"
        email_user_template(
            to=record.reporter_email,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            template=f"giving/email/{name}",
            context={"record": record, "reason": record.rejection_reason},
        )
    person = record.entered_by
    if person is None or not person.is_active or not person.email or person.pk == actor.pk:
        return
    name = "record_verified" if record.status == Status.VERIFIED else "record_rejected"
    email_user_template(
        user=person,
        template=f"giving/email/{name}",
        context={"record": record, "reason": record.rejection_reason},
    )


@transaction.atomic
def record_verify(*, actor, record: GivingRecord) -> GivingRecord:
    return _apply_move(actor=actor, record=_lock(record), target=Status.VERIFIED)


@transaction.atomic
def record_reject(*, actor, record: GivingRecord, reason: str) -> GivingRecord:
    return _apply_move(actor=actor, record=_lock(record), target=Status.REJECTED, reason=reason)


@transaction.atomic
def record_reopen(*, actor, record: GivingRecord) -> GivingRecord:
    """Staff send a rejected record back to the queue."""
    return _apply_move(actor=actor, record=_lock(record), target=Status.REPORTED)


MAX_BULK = 500


@transaction.atomic
def records_bulk_moderate(*, actor, ids, action: str, reason: str = "") -> tuple[list[int], list[int]]:
    """Verify or reject many `reported` records in one transaction. Records in another
    state (or unknown ids) are skipped. Returns (ids done, ids skipped)."""
    _require(actor, "giving.moderate_record")
    if action not in (VERIFY, REJECT):
        raise ValidationError({"action": _("Choose verify or reject.")}, code="invalid_action")
    reason = (reason or "").strip()
    if action == REJECT and not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")}, code="reason_required")
    try:
        wanted = sorted({int(pk) for pk in ids})
    except (TypeError, ValueError):
        raise ValidationError(_("Choose records from the list."), code="invalid_ids") from None
    if not wanted:
        raise ValidationError(_("Choose at least one record."), code="no_ids")
    if len(wanted) > MAX_BULK:
        raise ValidationError(
            _("Choose at most %(max)d records at once.") % {"max": MAX_BULK}, code="too_many"
        )
    records = (
        GivingRecord.objects.select_for_update(of=("self",))
        .filter(pk__in=wanted)
        .select_related("entered_by")
        .order_by("pk")
    )
    target = ACTION_TARGET[action]
    done, skipped = [], []
    found, dates = set(), set()
    for record in records:
        found.add(record.pk)
        if record.status != Status.REPORTED:
            skipped.append(record.pk)
            continue
        _apply_move(actor=actor, record=record, target=target, reason=reason, refresh=False)
        done.append(record.pk)
        dates.add(record.date)
    skipped.extend(pk for pk in wanted if pk not in found)
    if target == Status.VERIFIED and dates:  # rejecting `reported` records changes no number
        # Never an empty list: refresh_on_commit([]) rebuilds everything.
        refresh_on_commit(sorted(dates))
    return done, sorted(skipped)


# --- Confirmation by the donor or the recipient ---------------------------------------------

RECIPIENT, DONOR = "recipient", "donor"


@transaction.atomic
def record_confirm(*, actor, record: GivingRecord, side: str) -> GivingRecord:
    """An editor of the recipient (or donor) organisation confirms the gift; confidence is
    recomputed. Confirming twice changes nothing. A rejected record cannot be confirmed."""
    if side not in (RECIPIENT, DONOR):
        raise ValidationError(
            _("Say whether you confirm as the recipient or the donor."), code="invalid_side"
        )
    record = _lock(record)
    org_id = record.recipient_organization_id if side == RECIPIENT else record.donor_organization_id
    from giving.rules import editable_org_ids

    if (
        not org_id
        or org_id not in editable_org_ids(actor)
        or not actor.has_perm("giving.confirm_record", record)
    ):
        raise PermissionDenied(
            _("Only an editor of the %(side)s organisation can confirm this gift.")
            % {"side": _("recipient") if side == RECIPIENT else _("donor")}
        )
    if record.status == Status.REJECTED:
        raise ValidationError(_("A rejected record cannot be confirmed."), code="rejected")
    field = "confirmed_by_recipient_at" if side == RECIPIENT else "confirmed_by_donor_at"
    if getattr(record, field):
        return record
    setattr(record, field, timezone.now())
    record.confidence = compute_confidence(record)
    record._history_user = actor
    record._change_reason = f"confirmed by the {side}"
    record.save(update_fields=[field, "confidence", "updated_at"])
    if record.status == Status.VERIFIED:  # confidence is a dashboard filter
        refresh_on_commit([record.date])
    return record
