"""The moves of a help request: submit, assign, start, answer, close (with the rating),
decline, and the requester's consent to publish. Each in one transaction, the row locked
first, the status changed only through `workflow.REQUEST`; emails go to the outbox in the
recipient's language (core.notifications)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.choices import ANSWERED_STATUSES, OPEN_STATUSES, RequestStatus
from assistance.models import Expert, HelpRequest, KnowledgeEntry, Rating
from assistance.selectors.targets import due_on
from assistance.services import attachments
from assistance.services.reminders import reminders_forget_overdue
from assistance.workflow import REQUEST
from core.notifications import email_user_template
from core.permissions import require

S = RequestStatus


def _lock(request: HelpRequest) -> HelpRequest:
    return (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("expert__user", "requester")
        .get(pk=request.pk)
    )


def _context(request: HelpRequest, **extra) -> dict:
    return {"help_request": request, **extra}


def _email_requester(request: HelpRequest, template: str, **extra) -> None:
    email_user_template(
        template=f"assistance/email/{template}", context=_context(request, **extra), user=request.requester
    )


def _email_expert(request: HelpRequest, template: str, **extra) -> None:
    if request.expert_id is not None:
        email_user_template(
            template=f"assistance/email/{template}",
            context=_context(request, **extra),
            user=request.expert.user,
        )


def request_submit(
    *,
    actor,
    organization,
    category: str,
    title: str,
    description: str,
    urgency: str,
    language: str,
    municipality=None,
    uploads=(),
    submission_key=None,
) -> HelpRequest:
    """A new request with its files, a reference number and its due day; all or nothing.
    The same `submission_key` sent again (a double click) returns the request already made."""
    require(actor, "assistance.submit_request")
    if submission_key is not None:
        existing = HelpRequest.objects.filter(requester=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    if organization is not None and not actor.memberships.filter(organization=organization).exists():
        raise ValidationError({"organization": _("You can ask only for an organisation you belong to.")})
    uploads = list(uploads)
    kinds = attachments.validate_uploads(uploads)
    now = timezone.now()
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                requester=actor,
                organization=organization,
                category=category,
                title=title.strip(),
                description=description.strip(),
                urgency=urgency,
                language=language,
                municipality=municipality,
                status=S.NEW,
                submitted_at=now,
                due_on=due_on(category=category, urgency=urgency, since=now),
                submission_key=submission_key,
            )
            request.reference = f"AS-{timezone.localdate(now).year}-{request.pk:05d}"
            request.save(update_fields=["reference"])
            attachments.store(actor=actor, request=request, uploads=uploads, kinds=kinds)
            from core.models import StatusChange  # the first row of the history: submitted

            StatusChange.objects.create(
                content_type_id=_content_type_id(),
                object_id=request.pk,
                workflow=REQUEST.name,
                from_status="",
                to_status=S.NEW,
                actor=actor,
            )
            _email_requester(request, "request_received")
    except IntegrityError:
        # The same form sent twice at the same moment: the other one made the request.
        existing = HelpRequest.objects.filter(requester=actor, submission_key=submission_key).first()
        if submission_key is None or existing is None:
            raise
        return existing
    return request


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(HelpRequest).pk


def request_assign(*, actor, request: HelpRequest, expert: Expert, note: str = "") -> HelpRequest:
    """Staff give a new request (or give again an assigned one) to an active expert who covers
    its category; the answer is due the target time after the assignment."""
    with transaction.atomic():
        request = _lock(request)
        require(actor, "assistance.assign_request", request)
        expert = Expert.objects.select_related("user").get(pk=expert.pk)
        if not expert.active:
            raise ValidationError({"expert": _("This expert does not take requests now.")})
        if not expert.covers(request.category):
            raise ValidationError(
                {
                    "expert": _("This expert does not answer “%(category)s”.")
                    % {"category": request.get_category_display()}
                }
            )
        now = timezone.now()
        request.expert = expert
        request.assigned_at = now
        request.due_on = due_on(category=request.category, urgency=request.urgency, since=now)
        fields = ["expert", "assigned_at", "due_on"]
        reminders_forget_overdue(request)
        if request.status == S.NEW:
            REQUEST.move(request, S.ASSIGNED, actor=actor, note=note, fields=fields)
        elif request.status in (S.ASSIGNED, S.IN_PROGRESS):  # re-assignment: no status move
            request.save(update_fields=[*fields, "updated_at"])
        else:
            REQUEST.check(request.status, S.ASSIGNED)  # raises the refusal
        _email_expert(request, "request_assigned")
        _email_requester(request, "request_assigned_requester")
    return request


def request_start(*, actor, request: HelpRequest) -> HelpRequest:
    with transaction.atomic():
        request = _lock(request)
        REQUEST.move(request, S.IN_PROGRESS, actor=actor)
    return request


def request_answer(*, actor, request: HelpRequest, answer: str) -> HelpRequest:
    """The expert's answer (an assigned request is started on the way)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        request = _lock(request)
        if request.status == S.ASSIGNED:
            REQUEST.move(request, S.IN_PROGRESS, actor=actor)
        request.answer = answer
        request.answered_at = timezone.now()
        REQUEST.move(request, S.ANSWERED, actor=actor, fields=["answer", "answered_at"])
        _email_requester(request, "request_answered")
    return request


def request_decline(*, actor, request: HelpRequest, reason: str) -> HelpRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for declining: the requester reads it.")})
    with transaction.atomic():
        request = _lock(request)
        request.decline_reason = reason
        REQUEST.move(request, S.DECLINED, actor=actor, note=reason, fields=["decline_reason"])
        _email_requester(request, "request_declined")
    return request


def request_rate(*, actor, request: HelpRequest, score, solved: bool, comment: str = "") -> Rating:
    """The requester's rating: once, and only once the request is answered."""
    with transaction.atomic():
        request = _lock(request)
        require(actor, "assistance.rate_request", request)
        _check_rating(request, score)
        return Rating.objects.create(
            request=request,
            score=int(score),
            solved=bool(solved),
            comment=(comment or "").strip(),
            rated_by=actor,
        )


def _check_rating(request: HelpRequest, score) -> None:
    if request.status not in ANSWERED_STATUSES:
        raise ValidationError(
            _("You can rate the help only once the request is answered."), code="not_answered"
        )
    if Rating.objects.filter(request=request).exists():
        raise ValidationError(_("This request has already been rated."), code="already_rated")
    try:
        valid = 1 <= int(score) <= 5
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValidationError({"score": _("Choose a rating from 1 to 5.")})


def request_close(
    *, actor, request: HelpRequest, score=None, solved: bool | None = None, comment: str = ""
) -> HelpRequest:
    """Close an answered request; the requester rates it on the way (staff close without one)."""
    with transaction.atomic():
        request = _lock(request)
        REQUEST.check(request.status, S.CLOSED)
        require(actor, "assistance.close_request", request)
        if score not in (None, "") and actor.has_perm("assistance.rate_request", request):
            _check_rating(request, score)
            Rating.objects.create(
                request=request,
                score=int(score),
                solved=bool(solved),
                comment=(comment or "").strip(),
                rated_by=actor,
            )
        request.closed_at = timezone.now()
        REQUEST.move(request, S.CLOSED, actor=actor, fields=["closed_at"], check_perm=False)
    return request


def consent_set(*, actor, request: HelpRequest, consent: bool) -> HelpRequest:
    """The requester side gives (or withdraws) consent to an anonymised knowledge-base entry.
    Withdrawing it takes a published entry off the public pages."""
    with transaction.atomic():
        request = _lock(request)
        require(actor, "assistance.give_consent", request)
        request.consent_to_publish = bool(consent)
        request.consent_changed_at = timezone.now()
        request.save(update_fields=["consent_to_publish", "consent_changed_at", "updated_at"])
        if not consent:
            KnowledgeEntry.objects.filter(source_request=request, published=True).update(
                published=False, updated_at=timezone.now()
            )
    return request


__all__ = [
    "OPEN_STATUSES",
    "consent_set",
    "request_answer",
    "request_assign",
    "request_close",
    "request_decline",
    "request_rate",
    "request_start",
    "request_submit",
]
