"""The applicant's side: start (after the eligibility check), the draft (saved as they go:
project, answers, budget, plan, group members, attachments), the checks of a whole
application, submit (one atomic step with a reference number, a frozen revision and a
confirmation with the PDF), withdraw, and the message thread.

Drafts save whatever the person typed, even when it is not valid yet; `application_problems`
says what still stops the submission, and `application_submit` refuses while it says
anything. Nothing of a draft is lost to a failed submit.
"""

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.models import Municipality
from core.money import AmountError, format_money, parse_amount
from core.validators import upload_name, validate_document_upload
from grants.choices import (
    ApplicantType,
    ApplicationStatus,
    BudgetCategory,
    Eligibility,
    QuestionKind,
    Stage,
)
from grants.models import (
    Application,
    Attachment,
    AttachmentRequirement,
    BudgetLine,
    Call,
    GroupMember,
    Message,
    PlannedActivity,
    Question,
    Revision,
    budget_line_amount,
    to_cents,
)
from grants.services.common import (
    email_applicant,
    lock_application,
    move,
    next_reference,
    require,
    require_editable,
    save,
)
from organizations.models import Organization
from organizations.rules import is_org_editor

S = ApplicationStatus
CENT = Decimal("0.01")
MAX_BUDGET_LINES = 100
MAX_ACTIVITIES = 60
MAX_GROUP_MEMBERS = 50
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX_CHARS = 20_000
# Ids of frozen files removed or replaced since, kept in `Application.answers` under this
# key (answers hold only `q<id>` keys otherwise; `application_save_answers` never writes it).
REMOVED_FILES_KEY = "_removed_files"
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "jpg", "png")
ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}


# --- eligibility and start ------------------------------------------------------------------


@dataclass
class Eligible:
    allowed: bool
    reason: str = ""


def applicant_options(*, user, call: Call) -> list[tuple[str, Organization | None, Eligible]]:
    """Every way `user` could apply to `call`, each with whether it is allowed and why not:
    as themselves, as an informal group, or for each organisation they edit."""
    from organizations.selectors import organizations_editable_by

    options = [
        (
            ApplicantType.INDIVIDUAL,
            None,
            check_eligibility(user=user, call=call, applicant_type=ApplicantType.INDIVIDUAL),
        ),
        (
            ApplicantType.GROUP,
            None,
            check_eligibility(user=user, call=call, applicant_type=ApplicantType.GROUP),
        ),
    ]
    for organization in organizations_editable_by(user=user):
        # An informal group of the registry applies as an informal group (its members
        # pre-filled), not as an organisation, which only registered CSOs may.
        kind = (
            ApplicantType.GROUP
            if organization.kind == Organization.Kind.INFORMAL_GROUP
            else ApplicantType.ORGANIZATION
        )
        options.append(
            (
                kind,
                organization,
                check_eligibility(user=user, call=call, applicant_type=kind, organization=organization),
            )
        )
    return options


def check_eligibility(
    *, user, call: Call, applicant_type: str, organization: Organization | None = None
) -> Eligible:
    """May `user` start an application to `call` as `applicant_type`? (allowed, reason)."""
    now = timezone.now()
    if not user.is_authenticated:
        return Eligible(False, _("Sign in to apply."))
    if closed := call.closed_reason(now):
        return Eligible(False, closed)
    if applicant_type not in ApplicantType.values:
        return Eligible(False, _("Choose how you apply."))
    if applicant_type not in call.applicant_types:
        labels = ", ".join(str(ApplicantType(t).label) for t in call.applicant_types)
        return Eligible(False, _("This call is open only to: %(who)s.") % {"who": labels})
    if applicant_type == ApplicantType.ORGANIZATION:
        if organization is None:
            return Eligible(False, _("Choose the organisation you apply for."))
        if not organization.is_active or not is_org_editor(user, organization):
            return Eligible(False, _("You can apply only for an organisation you are an editor of."))
        if organization.kind != Organization.Kind.REGISTERED_CSO:
            return Eligible(False, _("Only registered CSOs may apply as an organisation."))
        if organization.verification_status != Organization.Verification.VERIFIED:
            return Eligible(False, _("The organisation must be verified by KCSF before it applies."))
        taken = Application.objects.filter(call=call, organization=organization).exclude(status=S.WITHDRAWN)
    else:
        if organization is not None and not (
            applicant_type == ApplicantType.GROUP and organization.kind == Organization.Kind.INFORMAL_GROUP
        ):
            return Eligible(False, _("Choose the organisation only when you apply for it."))
        if organization is not None and (not organization.is_active or not is_org_editor(user, organization)):
            return Eligible(False, _("You can apply only for a group you are an editor of."))
        taken = Application.objects.filter(call=call, applicant=user, applicant_type=applicant_type).exclude(
            status=S.WITHDRAWN
        )
    if taken.exists():
        return Eligible(False, _("There is already an application to this call for this applicant."))
    return Eligible(True)


@transaction.atomic
def application_start(
    *, actor, call: Call, applicant_type: str, organization: Organization | None = None, group_name: str = ""
) -> Application:
    """A new draft, after the eligibility check (the same check the page shows)."""
    require(actor, "grants.apply_to_call", call)
    call = Call.objects.select_for_update().get(pk=call.pk)  # one start at a time per call
    verdict = check_eligibility(
        user=actor, call=call, applicant_type=applicant_type, organization=organization
    )
    if not verdict.allowed:
        raise ValidationError(verdict.reason, code="not_eligible")
    registry_group = organization if applicant_type == ApplicantType.GROUP else None
    if registry_group is not None and not group_name.strip():
        group_name = registry_group.name
    if applicant_type == ApplicantType.GROUP and not group_name.strip():
        raise ValidationError({"group_name": _("Give the name of your group.")})
    application = Application(
        call=call,
        applicant=actor,
        applicant_type=applicant_type,
        organization=organization if applicant_type == ApplicantType.ORGANIZATION else None,
        group_name=group_name.strip()[:200] if applicant_type == ApplicantType.GROUP else "",
        stage=call.first_stage,
    )
    application._history_user = actor
    application.save()
    if registry_group is not None:
        _prefill_group_members(application, registry_group)
    return application


def _prefill_group_members(application: Application, group: Organization) -> None:
    """The members of a registry's informal group as the application's group members (the
    applicant edits them in the editor's "group" section)."""
    memberships = group.memberships.select_related("user").order_by("pk")[:MAX_GROUP_MEMBERS]
    GroupMember.objects.bulk_create(
        GroupMember(
            application=application,
            order=order,
            name=(m.user.get_full_name() or m.user.email)[:150],
            role=str(m.get_role_display())[:100],
            email=m.user.email,
        )
        for order, m in enumerate(memberships)
    )


# --- the draft ------------------------------------------------------------------------------


def _editable(actor, application: Application) -> Application:
    require(actor, "grants.edit_application", application)
    application = lock_application(application)
    require_editable(application)
    return application


@transaction.atomic
def application_save_project(*, actor, application: Application, data: dict) -> Application:
    """Title, summary, municipality, dates and (for groups) the group's name. Saves what is
    given; checks of completeness wait for the submission."""
    application = _editable(actor, application)
    fields = []
    for name, limit in (("title", 200), ("summary", 2000), ("group_name", 200)):
        if name in data:
            if name == "group_name" and application.applicant_type != ApplicantType.GROUP:
                continue
            setattr(application, name, str(data[name] or "").strip()[:limit])
            fields.append(name)
    if "municipality" in data:
        application.municipality = _municipality(data["municipality"])
        fields.append("municipality")
    for name in ("starts_on", "ends_on"):
        if name in data:
            setattr(application, name, _date_or_none(data[name], field=name))
            fields.append(name)
    save(application, actor, fields)
    return application


def _municipality(value) -> Municipality | None:
    """A Municipality, its id, or empty; anything else is refused."""
    if value in (None, ""):
        return None
    if isinstance(value, Municipality):
        return value
    digits = str(value).strip()
    found = (
        Municipality.objects.filter(pk=int(digits)).first()
        if digits.isdecimal() and len(digits) < 10
        else None
    )
    if found is None:
        raise ValidationError({"municipality": _("Choose a municipality from the list.")})
    return found


def _date_or_none(value, *, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Enter a date (YYYY-MM-DD).")}) from None


def _as_rows(rows) -> list[dict]:
    """A table as posted: a list of dicts. Anything else is tampered input, refused whole."""
    if not isinstance(rows, list | tuple) or not all(isinstance(row, dict) for row in rows):
        raise ValidationError(
            _("The table could not be read. Reload the page and try again."), code="invalid_rows"
        )
    return list(rows)


def _clean_answer(question: Question, value):
    """What is stored for an answer: strings, or a list of option values. Never raises."""
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        if value is None:
            value = []
        elif not isinstance(value, list | tuple):
            value = [value]
        return [str(v)[:10] for v in value if str(v).strip()][:50]
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    limit = LONG_TEXT_MAX_CHARS if question.kind == QuestionKind.LONG_TEXT else SHORT_TEXT_MAX
    return str(value).strip()[:limit]


@transaction.atomic
def application_save_answers(*, actor, application: Application, answers: dict) -> Application:
    """Store answers by question key (`q<id>`); unknown keys and file questions are ignored
    (files go through `attachment_add`)."""
    application = _editable(actor, application)
    questions = {q.key: q for q in application.call.questions.filter(stage=application.stage)}
    stored = dict(application.answers or {})
    for key, value in answers.items():
        question = questions.get(key)
        if question is None or question.kind == QuestionKind.FILE:
            continue
        stored[key] = _clean_answer(question, value)
    application.answers = stored
    save(application, actor, ["answers"])
    return application


def _decimal(value, *, field: str, row: int) -> Decimal:
    """An amount (or a quantity) of a budget row, written as the page's language writes it
    ("1.500,00" in sq and sr-Latn, "1,500.00" in en; `core.money.parse_amount`)."""
    try:
        return parse_amount(value, language=translation.get_language())
    except AmountError as error:
        if error.code in ("invalid", "empty"):
            message = _("Row %(row)s: “%(field)s” must be a number.")
        elif error.code == "negative":
            message = _("Row %(row)s: “%(field)s” must be a positive amount.")
        else:  # ambiguous, too many decimals, too large: the parser's own words
            raise ValidationError(
                _("Row %(row)s, %(field)s: %(message)s")
                % {"row": row, "field": field, "message": error.messages[0]},
                code="invalid_number",
            ) from None
        raise ValidationError(message % {"row": row, "field": field}, code="invalid_number") from None


def parse_budget_rows(rows: list[dict]) -> list[BudgetLine]:
    """Budget rows as typed → BudgetLine objects (unsaved). Raises ValidationError listing
    every row that cannot be stored (not a number, unknown category, amounts that do not add up)."""
    rows = _as_rows(rows)
    if len(rows) > MAX_BUDGET_LINES:
        raise ValidationError(_("A budget has at most %(n)s lines.") % {"n": MAX_BUDGET_LINES})
    lines, errors = [], []
    for index, row in enumerate(rows, start=1):
        if not any(
            str(row.get(k) or "").strip()
            for k in ("item", "quantity", "unit_cost", "requested", "cofinancing")
        ):
            continue  # an empty row of the table
        try:
            category = str(row.get("category") or "")
            if category not in BudgetCategory.values:
                raise ValidationError(_("Row %(row)s: choose a category.") % {"row": index})
            item = str(row.get("item") or "").strip()[:200]
            if not item:
                raise ValidationError(_("Row %(row)s: describe the item.") % {"row": index})
            quantity = _decimal(row.get("quantity") or "0", field=_("quantity"), row=index)
            if quantity <= 0:
                raise ValidationError(_("Row %(row)s: the quantity must be more than zero.") % {"row": index})
            unit_cost = _decimal(row.get("unit_cost") or "0", field=_("unit cost"), row=index)
            amount = budget_line_amount(quantity, unit_cost)
            if quantity >= Decimal("1e8") or amount >= Decimal("1e10"):  # the columns' sizes
                raise ValidationError(_("Row %(row)s: the amounts are too large.") % {"row": index})
            cofinancing = _decimal(row.get("cofinancing") or "0", field=_("co-financing"), row=index)
            requested_raw = str(row.get("requested") or "").strip()
            requested = (
                _decimal(requested_raw, field=_("requested"), row=index)
                if requested_raw
                else amount - cofinancing
            )
            if requested < 0 or requested + cofinancing != amount:
                raise ValidationError(
                    _(
                        "Row %(row)s: requested (%(requested)s) and co-financing (%(cofinancing)s) must add up"
                        " to quantity × unit cost (%(amount)s)."
                    )
                    % {"row": index, "requested": requested, "cofinancing": cofinancing, "amount": amount}
                )
        except ValidationError as error:
            errors.extend(error.messages)
            continue
        lines.append(
            BudgetLine(
                order=len(lines),
                category=category,
                item=item,
                quantity=quantity,
                unit_cost=unit_cost,
                requested=requested,
                cofinancing=cofinancing,
            )
        )
    if errors:
        raise ValidationError(errors, code="invalid_budget")
    return lines


@transaction.atomic
def application_save_budget(*, actor, application: Application, rows: list[dict]) -> Application:
    """Replace the budget table and recompute its totals. A table with a bad row is refused
    whole (with every row's error) and the stored budget stays as it was."""
    application = _editable(actor, application)
    lines = parse_budget_rows(rows)
    application.budget_lines.all().delete()
    for line in lines:
        line.application = application
    BudgetLine.objects.bulk_create(lines)
    recompute_totals(application)
    save(application, actor, ["requested_amount", "cofinancing_amount", "total_cost"])
    return application


def recompute_totals(application: Application) -> None:
    totals = application.budget_lines.aggregate(requested=Sum("requested"), cofinancing=Sum("cofinancing"))
    application.requested_amount = totals["requested"] or Decimal("0.00")
    application.cofinancing_amount = totals["cofinancing"] or Decimal("0.00")
    application.total_cost = application.requested_amount + application.cofinancing_amount


@transaction.atomic
def application_save_activities(*, actor, application: Application, rows: list[dict]) -> Application:
    """Replace the timeline (work plan). Rows need a title and dates from ≤ to."""
    application = _editable(actor, application)
    rows = _as_rows(rows)
    if len(rows) > MAX_ACTIVITIES:
        raise ValidationError(_("A work plan has at most %(n)s activities.") % {"n": MAX_ACTIVITIES})
    activities, errors = [], []
    for index, row in enumerate(rows, start=1):
        title = str(row.get("title") or "").strip()[:200]
        starts, ends = row.get("starts_on"), row.get("ends_on")
        if not title and not starts and not ends:
            continue
        try:
            starts = starts if isinstance(starts, date) else date.fromisoformat(str(starts))
            ends = ends if isinstance(ends, date) else date.fromisoformat(str(ends))
        except (TypeError, ValueError):
            errors.append(_("Activity %(row)s: give both dates.") % {"row": index})
            continue
        if not title:
            errors.append(_("Activity %(row)s: name the activity.") % {"row": index})
        elif ends < starts:
            errors.append(_("Activity %(row)s: it cannot end before it starts.") % {"row": index})
        else:
            activities.append(
                PlannedActivity(
                    application=application,
                    order=index,
                    title=title,
                    starts_on=starts,
                    ends_on=ends,
                    description=str(row.get("description") or "").strip()[:500],
                )
            )
    if errors:
        raise ValidationError(errors, code="invalid_activities")
    application.activities.all().delete()
    PlannedActivity.objects.bulk_create(activities)
    save(application, actor, [])
    return application


@transaction.atomic
def application_save_group_members(*, actor, application: Application, rows: list[dict]) -> Application:
    """Replace the named members of an informal group."""
    application = _editable(actor, application)
    if application.applicant_type != ApplicantType.GROUP:
        raise ValidationError(_("Only an informal group names its members."))
    rows = _as_rows(rows)
    members = [
        GroupMember(
            application=application,
            order=index,
            name=str(row.get("name") or "").strip()[:150],
            role=str(row.get("role") or "").strip()[:100],
            email=str(row.get("email") or "").strip()[:254],
        )
        for index, row in enumerate(rows)
        if str(row.get("name") or "").strip()
    ]
    if len(members) > MAX_GROUP_MEMBERS:
        raise ValidationError(_("A group names at most %(n)s members.") % {"n": MAX_GROUP_MEMBERS})
    from django.core.validators import validate_email

    for member in members:
        if member.email:
            try:
                validate_email(member.email)
            except ValidationError:
                raise ValidationError(
                    _("“%(email)s” is not a valid email address.") % {"email": member.email}
                ) from None
    application.group_members.all().delete()
    GroupMember.objects.bulk_create(members)
    save(application, actor, [])
    return application


def validate_attachment(upload) -> str:
    """Size and real type (from the content, not the name); returns the type."""
    return validate_document_upload(
        upload,
        allowed=ATTACHMENT_TYPES,
        message=_("Upload a PDF, Word (DOCX), Excel (XLSX), JPEG or PNG file."),
        max_bytes=settings.GRANTS_ATTACHMENT_MAX_BYTES,
    )


@transaction.atomic
def attachment_add(
    *,
    actor,
    application: Application,
    upload,
    requirement: AttachmentRequirement | None = None,
    question: Question | None = None,
) -> Attachment:
    """Attach a file for a required document or a file question (replacing the previous one
    of the same slot, unless that one is frozen in a revision, which is then kept)."""
    application = _editable(actor, application)
    if requirement is not None and (
        requirement.call_id != application.call_id or requirement.stage != application.stage
    ):
        raise ValidationError(_("This document is not asked for by this call."))
    if question is not None and (
        question.call_id != application.call_id
        or question.kind != QuestionKind.FILE
        or question.stage != application.stage
    ):
        raise ValidationError(_("This question does not take a file."))
    current = current_attachments(application)
    in_slot = [
        a
        for a in current
        if (requirement is not None or question is not None)
        and a.requirement_id == getattr(requirement, "pk", None)
        and a.question_id == getattr(question, "pk", None)
    ]
    if len(current) - len(in_slot) >= settings.GRANTS_MAX_ATTACHMENTS:
        raise ValidationError(
            _("An application has at most %(n)s files.") % {"n": settings.GRANTS_MAX_ATTACHMENTS}
        )
    kind = validate_attachment(upload)
    original = upload_name(upload)
    for old in in_slot:
        if old.frozen:
            # A file frozen in a revision stays with that revision; it no longer fills the slot.
            _retire_frozen(application, actor, old)
        else:
            _delete_attachment(old)
    upload.name = f"{uuid.uuid4().hex}.{kind}"
    attachment = Attachment.objects.create(
        application=application,
        requirement=requirement,
        question=question,
        file=upload,
        original_name=original,
        size=upload.size,
        file_type=kind,
        uploaded_by=actor,
    )
    save(application, actor, [])
    return attachment


def _delete_attachment(attachment: Attachment) -> None:
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


def _retire_frozen(application: Application, actor, attachment: Attachment) -> None:
    """A file frozen in a revision is kept for that revision; it stops counting for the
    application now (out of its slot, and listed in the application's removed files)."""
    Attachment.objects.filter(pk=attachment.pk).update(requirement=None, question=None)
    answers = dict(application.answers or {})
    answers[REMOVED_FILES_KEY] = sorted({*answers.get(REMOVED_FILES_KEY, []), attachment.pk})
    application.answers = answers
    save(application, actor, ["answers"])


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    application = _editable(actor, attachment.application)
    # Re-read under the lock: the object given may predate a submission that froze it.
    attachment = (
        Attachment.objects.select_for_update().filter(pk=attachment.pk, application=application).first()
    )
    if attachment is None:
        raise ValidationError(_("This file is not part of this application."))
    if attachment.frozen:
        # Kept for the revision it belongs to; it just stops counting for the current one.
        _retire_frozen(application, actor, attachment)
    else:
        _delete_attachment(attachment)
    save(application, actor, [])


def current_attachments(application: Application):
    """The files that count for the application now: the newest file of each slot and the
    other files, except those removed or replaced after a revision froze them (kept with
    that revision, listed under `REMOVED_FILES_KEY` in the answers)."""
    removed = set((application.answers or {}).get(REMOVED_FILES_KEY) or [])
    return [a for a in application.attachments.all() if a.pk not in removed]


# --- checks of a whole application ----------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def answer_problem(question: Question, value, *, has_file: bool = False) -> str | None:
    """Why an answer cannot be submitted, or None."""
    empty = value in (None, "", []) if question.kind != QuestionKind.FILE else not has_file
    if empty:
        return _("This question needs an answer.") if question.required else None
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT and len(str(value)) > SHORT_TEXT_MAX:
        return _("Keep the answer under %(n)s characters.") % {"n": SHORT_TEXT_MAX}
    if kind == QuestionKind.LONG_TEXT and question.word_limit and _words(str(value)) > question.word_limit:
        return _("The answer has %(words)s words; the limit is %(limit)s.") % {
            "words": _words(str(value)),
            "limit": question.word_limit,
        }
    if kind == QuestionKind.NUMBER:
        try:
            number = Decimal(str(value).replace(",", "."))
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            return _("Enter a number.")
        if question.min_value is not None and number < question.min_value:
            return _("Enter a number of at least %(n)s.") % {"n": question.min_value}
        if question.max_value is not None and number > question.max_value:
            return _("Enter a number of at most %(n)s.") % {"n": question.max_value}
    if kind == QuestionKind.DATE:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return _("Enter a date (YYYY-MM-DD).")
    if question.is_choice:
        allowed = {v for v, _label in question.options}
        chosen = value if isinstance(value, list) else [value]
        if not set(map(str, chosen)) <= allowed:
            return _("Choose one of the options offered.")
        if kind == QuestionKind.SINGLE_CHOICE and len(chosen) != 1:
            return _("Choose one option.")
    return None


REVISION_NOTE = gettext_noop("Revision %(n)s")


def revision_note(number: int) -> str:
    """The note of the status change a submission writes, stored as data (in English, the
    msgid) and shown in the reader's language by `note_for_reader`."""
    return REVISION_NOTE % {"n": number}


@functools.cache
def _revision_note_patterns() -> tuple[re.Pattern, ...]:
    patterns = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = translation.gettext(REVISION_NOTE)
        patterns.append(re.compile("^" + re.escape(text).replace(re.escape("%(n)s"), r"(\d+)") + "$"))
    return tuple(patterns)


def note_for_reader(note: str) -> str:
    """A status change's note as the reader reads it: the "Revision N" a submission wrote (in
    any language, as older rows stored it in the applicant's) in the active language; any
    other note (written by a person) as written."""
    for pattern in _revision_note_patterns():
        match = pattern.match(note or "")
        if match:
            return _("Revision %(n)s") % {"n": int(match[1])}
    return note


def cofinancing_needed(call: Call, total: Decimal) -> Decimal:
    """The co-financing a call asks of a budget whose total cost is `total` (0 when none)."""
    if not call.cofinancing_percent:
        return Decimal("0.00")
    return to_cents(total * call.cofinancing_percent / Decimal(100))


def budget_problems(application: Application, call: Call) -> list[str]:
    problems = []
    requested, cofinancing = application.requested_amount, application.cofinancing_amount
    total = requested + cofinancing
    if not application.budget_lines.exists():
        return [_("Add at least one line to the budget.")]
    if requested < call.min_amount:
        problems.append(
            _("The amount requested (%(requested)s) is below the minimum of this call (%(min)s).")
            % {"requested": format_money(requested), "min": format_money(call.min_amount)}
        )
    if requested > call.max_amount:
        problems.append(
            _("The amount requested (%(requested)s) is above the maximum of this call (%(max)s).")
            % {"requested": format_money(requested), "max": format_money(call.max_amount)}
        )
    if call.cofinancing_percent and total > 0:
        needed = cofinancing_needed(call, total)
        if cofinancing < needed:
            problems.append(
                _(
                    "This call asks for at least %(percent)s%% co-financing: %(needed)s of the total cost of"
                    " %(total)s. The budget has %(cofinancing)s."
                )
                % {
                    "percent": call.cofinancing_percent.normalize(),
                    "needed": format_money(needed),
                    "total": format_money(total),
                    "cofinancing": format_money(cofinancing),
                }
            )
    return problems


def application_problems(application: Application) -> dict[str, list[str]]:
    """Everything that stops the submission, by section: "project", "group", "answers"
    (with `q<id>` keys in "answer:<key>"), "budget", "activities", "attachments". Empty
    when the application may be submitted."""
    call = application.call
    problems: dict[str, list[str]] = {}

    def add(section: str, message: str) -> None:
        problems.setdefault(section, []).append(str(message))

    if not application.title.strip():
        add("project", _("Give the project a title."))
    if not application.summary.strip():
        add("project", _("Summarise the project."))
    if application.municipality_id is None:
        add("project", _("Say where the project takes place."))
    else:
        targeted = list(call.municipalities.values_list("pk", flat=True))
        if targeted and application.municipality_id not in targeted:
            add("project", _("This call funds projects only in the municipalities it names."))
    if application.starts_on and application.ends_on and application.ends_on < application.starts_on:
        add("project", _("The project cannot end before it starts."))
    if application.stage == Stage.FULL and not (application.starts_on and application.ends_on):
        add("project", _("Give the project's start and end dates."))

    if application.applicant_type == ApplicantType.ORGANIZATION and application.organization_id:
        organization = application.organization  # checked again: it may have changed since the start
        if (
            not organization.is_active
            or organization.verification_status != Organization.Verification.VERIFIED
        ):
            add("project", _("The organisation must be verified by KCSF before it applies."))

    if application.applicant_type == ApplicantType.GROUP:
        if not application.group_name.strip():
            add("group", _("Give the name of your group."))
        if application.group_members.count() < 2:
            add("group", _("Name at least two members of the group."))

    attachments = current_attachments(application)
    files_by_question = {a.question_id for a in attachments if a.question_id}
    for question in call.questions.filter(stage=application.stage):
        problem = answer_problem(
            question, (application.answers or {}).get(question.key), has_file=question.pk in files_by_question
        )
        if problem:
            add(f"answer:{question.key}", problem)

    for message in budget_problems(application, call):
        add("budget", message)

    if application.stage == Stage.FULL and not application.activities.exists():
        add("activities", _("Add at least one activity to the work plan."))

    attached = {a.requirement_id for a in attachments if a.requirement_id}
    for requirement in call.attachment_requirements.filter(stage=application.stage, required=True):
        if requirement.applies_to(application.applicant_type) and requirement.pk not in attached:
            add("attachments", _("Attach: %(document)s.") % {"document": requirement.label})
    return problems


# --- the frozen copy ------------------------------------------------------------------------


def _answer_display(question: Question, value) -> str:
    if question.is_choice:
        labels = dict(question.options)
        chosen = value if isinstance(value, list) else [value] if value else []
        return ", ".join(labels.get(str(v), str(v)) for v in chosen)
    return "" if value is None else str(value)


def snapshot(application: Application) -> dict:
    """Everything the applicant sends, as plain data (a revision, the PDF, the diff)."""
    attachments = current_attachments(application)
    files_by_question = {a.question_id: a for a in attachments if a.question_id}
    answers = []
    for question in application.call.questions.filter(stage=application.stage):
        value = (application.answers or {}).get(question.key)
        if question.kind == QuestionKind.FILE:
            attached = files_by_question.get(question.pk)
            value = attached.original_name if attached else ""
            shown = value
        else:
            shown = _answer_display(question, value)
        # A choice reads differently per language: each reader (PDF, revisions) picks theirs.
        by_language = {}
        for language, code in (("sq", "sq"), ("sr", "sr-latn"), ("en", "en")):
            with translation.override(code):
                by_language[language] = _answer_display(question, value) if question.is_choice else shown
        answers.append(
            {
                "key": question.key,
                "label": {"sq": question.label_sq, "sr": question.label_sr, "en": question.label_en},
                "kind": question.kind,
                "value": value,
                "display": shown,
                "display_i18n": by_language,
            }
        )
    return {
        "stage": application.stage,
        "applicant_type": application.applicant_type,
        "applicant": application.applicant_name,
        "group_name": application.group_name,
        "group_members": [
            {"name": m.name, "role": m.role, "email": m.email} for m in application.group_members.all()
        ],
        "title": application.title,
        "summary": application.summary,
        "municipality": application.municipality.name_sq if application.municipality_id else "",
        "municipality_id": application.municipality_id,
        "municipality_label": (
            {
                "sq": application.municipality.name_sq,
                "sr": application.municipality.name_sr,
                "en": application.municipality.name_en,
            }
            if application.municipality_id
            else {}
        ),
        "starts_on": application.starts_on.isoformat() if application.starts_on else "",
        "ends_on": application.ends_on.isoformat() if application.ends_on else "",
        "answers": answers,
        "budget": [
            {
                "category": line.category,
                "item": line.item,
                "quantity": str(line.quantity),
                "unit_cost": str(line.unit_cost),
                "amount": str(line.amount),
                "requested": str(line.requested),
                "cofinancing": str(line.cofinancing),
            }
            for line in application.budget_lines.all()
        ],
        "totals": {
            "requested": str(application.requested_amount),
            "cofinancing": str(application.cofinancing_amount),
            "total": str(application.total_cost),
        },
        "activities": [
            {
                "title": a.title,
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
                "description": a.description,
            }
            for a in application.activities.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "requirement": a.requirement.label_sq if a.requirement_id else "",
                "requirement_label": (
                    {"sq": a.requirement.label_sq, "sr": a.requirement.label_sr, "en": a.requirement.label_en}
                    if a.requirement_id
                    else {}
                ),
                "question": a.question_id,
                "size": a.size,
            }
            for a in attachments
        ],
    }


# --- submit, withdraw, messages --------------------------------------------------------------


class SubmissionRefused(ValidationError):
    """The application is not complete: `problems` says what is missing, by section."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        messages = [m for section in problems.values() for m in section]
        super().__init__(messages, code="incomplete")


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Validate everything, stamp the reference (first submission), freeze the content as a
    revision and move on; the applicant's side gets a confirmation with the PDF.

    A second click finds the application no longer editable and is refused (400) without
    any second revision or email. After the deadline of the stage nobody can submit — except
    a resubmission KCSF asked for, which has no deadline of its own.
    """
    require(actor, "grants.submit_application", application)
    application = lock_application(application)
    if application.status not in (S.DRAFT, S.CHANGES_REQUESTED, S.INVITED):
        raise ValidationError(
            _("This application was already submitted (it is “%(status)s”).")
            % {"status": application.public_status_label},
            code="already_submitted",
        )
    now = timezone.now()
    deadline = application.deadline
    if application.status != S.CHANGES_REQUESTED and (deadline is None or now >= deadline):
        raise ValidationError(_("The deadline for submissions has passed."), code="deadline_passed")
    problems = application_problems(application)
    if problems:
        raise SubmissionRefused(problems)
    if application.status == S.CHANGES_REQUESTED and application.eligibility == Eligibility.ELIGIBLE:
        target = S.UNDER_REVIEW
    else:
        target = S.SUBMITTED
    first = application.reference is None
    if first:
        application.reference = next_reference(now)
    application.submitted_at = now
    number = (application.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    revision = Revision.objects.create(
        application=application,
        number=number,
        stage=application.stage,
        snapshot=snapshot(application),
        created_at=now,
        created_by=actor,
    )
    application.attachments.filter(frozen=False).update(frozen=True)
    note = revision_note(number)
    move(application, actor=actor, target=target, note=note, fields=["reference", "submitted_at"])
    email_applicant(
        application,
        template="grants/email/submitted",
        context={"revision": revision},
        attachment=(
            f"{application.reference}.pdf",
            "grants.pdf.revision_pdf",
            [revision.pk],
            "application/pdf",
        ),
    )
    return application


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    require(actor, "grants.withdraw_application", application)
    application = lock_application(application)
    move(application, actor=actor, target=S.WITHDRAWN, note=str(reason or "").strip())
    # Reviews not sent yet are called off (a sent review stays on record).
    if application.assignments.filter(submitted_at__isnull=True).delete()[0]:
        from grants.services.assessment import _refresh_review_counts

        _refresh_review_counts(application)
    if application.reference:
        email_applicant(application, template="grants/email/withdrawn")
    return application


@transaction.atomic
def message_post(*, actor, application: Application, body: str) -> Message:
    """A message on the application's thread; the other side is told by email."""
    require(actor, "grants.message_application", application)
    body = str(body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Keep the message under 5,000 characters.")})
    if application.status == S.DRAFT:
        raise ValidationError(_("Messages open once the application is submitted."))
    from_staff = bool(actor.is_staff) and not _is_applicant_side(actor, application)
    message = Message.objects.create(application=application, author=actor, from_staff=from_staff, body=body)
    if from_staff:
        email_applicant(application, template="grants/email/message", context={"message": message})
    else:
        from core.notifications import email_user_template

        for person in _staff_followers(application):
            email_user_template(
                template="grants/email/message_staff",
                context={"application": application, "call": application.call, "message": message},
                user=person,
            )
    return message


def _is_applicant_side(user, application: Application) -> bool:
    return user.has_perm("grants.submit_application", application)


def _staff_followers(application: Application) -> list:
    """Staff who acted on the application (or who wrote on its thread)."""
    from django.contrib.auth import get_user_model

    ids = set(
        application.status_changes.filter(actor__is_staff=True).values_list("actor_id", flat=True)
    ) | set(application.messages.filter(from_staff=True).values_list("author_id", flat=True))
    if not ids and application.call.created_by_id:
        ids = {application.call.created_by_id}  # nobody acted yet: whoever opened the call
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True, is_staff=True))
