"""Running a cohort: attendance (one tap per participant, by the facilitator, on the day of
the session), mentor notes, community action projects and their comments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.choices import ApplicationStatus, NoteKind
from academy.models import (
    Attendance,
    CohortApplication,
    CommunityProject,
    MentorNote,
    ProjectComment,
    Session,
)
from academy.services.common import require

S = ApplicationStatus


@transaction.atomic
def attendance_mark(*, actor, session: Session, participant_id, present: bool, now=None) -> Attendance:
    """Mark one participant of the session's cohort present (or absent again). Only on the
    day of the session, until it ends; a second tap is harmless."""
    require(actor, "academy.take_attendance", session)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not session.is_running(now):
        raise ValidationError(
            _("Attendance is taken on the day of the session, until it ends."), code="not_running"
        )
    try:
        participant = CohortApplication.objects.get(
            pk=int(participant_id), cohort_id=session.cohort_id, status=S.CONFIRMED
        )
    except (CohortApplication.DoesNotExist, TypeError, ValueError):
        raise ValidationError(
            _("This person is not a participant of this cohort."), code="not_participant"
        ) from None
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        participant=participant,
        defaults={"present": bool(present), "marked_by": actor, "marked_at": timezone.now()},
    )
    return attendance


@transaction.atomic
def mentor_note_add(
    *,
    actor,
    participant: CohortApplication,
    body: str,
    kind: str = NoteKind.MEETING,
    met_on: date | None = None,
) -> MentorNote:
    require(actor, "academy.add_mentor_note", participant)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    if kind not in NoteKind.values:
        raise ValidationError({"kind": _("Choose from the list.")})
    if met_on and met_on > timezone.localdate():
        raise ValidationError({"met_on": _("The date cannot be in the future.")})
    return MentorNote.objects.create(
        participant=participant,
        author=actor,
        kind=kind,
        body=body[:10000],
        met_on=met_on or timezone.localdate(),
    )


PROJECT_FIELDS = ("title", "issue", "plan", "peers_mobilised", "result")


def _clean_project(data: dict) -> dict:
    clean = {name: data[name] for name in PROJECT_FIELDS if name in data}
    for name in ("title", "issue", "plan", "result"):
        if name in clean:
            clean[name] = str(clean[name] or "").strip()[: 200 if name == "title" else 10000]
    if not clean.get("title", "x") or not clean.get("issue", "x"):
        raise ValidationError(
            _("Give the project a title and describe the community issue."), code="required"
        )
    return clean


@transaction.atomic
def project_start(*, actor, cohort, data: dict, teammates=()) -> CommunityProject:
    """A participant starts a project (alone or with teammates of the same cohort)."""
    require(actor, "academy.start_project", cohort)
    clean = _clean_project(data)
    if not clean.get("title") or not clean.get("issue"):
        raise ValidationError(
            _("Give the project a title and describe the community issue."), code="required"
        )
    me = CohortApplication.objects.get(cohort=cohort, applicant=actor, status=S.CONFIRMED)
    team = list(CohortApplication.objects.filter(cohort=cohort, status=S.CONFIRMED, pk__in=list(teammates)))
    if len(team) != len(set(teammates)):
        raise ValidationError(_("Teammates must be participants of this cohort."), code="not_participant")
    project = CommunityProject.objects.create(cohort=cohort, created_by=actor, **clean)
    project.members.set({me, *team})
    return project


@transaction.atomic
def project_update(*, actor, project: CommunityProject, data: dict) -> CommunityProject:
    require(actor, "academy.edit_project", project)
    project = CommunityProject.objects.select_for_update().get(pk=project.pk)
    for name, value in _clean_project(data).items():
        setattr(project, name, value)
    project.save(update_fields=[*[n for n in PROJECT_FIELDS if n in data], "updated_at"])
    return project


@transaction.atomic
def project_comment(*, actor, project: CommunityProject, body: str) -> ProjectComment:
    require(actor, "academy.comment_on_project", project)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the comment.")})
    return ProjectComment.objects.create(project=project, author=actor, body=body[:5000])


@transaction.atomic
def project_finish(*, actor, project: CommunityProject) -> CommunityProject:
    """The team marks its project finished (it needs a result); a second click changes nothing."""
    require(actor, "academy.edit_project", project)
    project = CommunityProject.objects.select_for_update().get(pk=project.pk)
    if project.finished_at is not None:
        return project
    if not project.result.strip():
        raise ValidationError(
            _("Describe the project's result before marking it finished."), code="no_result"
        )
    project.finished_at = timezone.now()
    project.save(update_fields=["finished_at", "updated_at"])
    return project


# --- attendance by QR code --------------------------------------------------------------------

CHECKIN_SALT = "academy.session-checkin"
CHECKIN_MAX_AGE = 15 * 60  # seconds: the facilitator's page shows a fresh code on every load


def checkin_code(session: Session) -> str:
    """A signed, short-lived value naming the session (django.core.signing, with a timestamp)."""
    from django.core import signing

    return signing.TimestampSigner(salt=CHECKIN_SALT).sign(str(session.pk))


def _checked_code(session: Session, code: str) -> None:
    from django.core import signing

    try:
        value = signing.TimestampSigner(salt=CHECKIN_SALT).unsign((code or "")[:200], max_age=CHECKIN_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This code has expired. Ask the facilitator to show the code again."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This is not a valid attendance code."), code="invalid") from None
    if value != str(session.pk):
        raise ValidationError(_("This code is for another session."), code="other_session")


@transaction.atomic
def attendance_check_in(*, actor, session: Session, code: str, now=None) -> Attendance:
    """A participant who scanned the session's code is marked present: only with this
    session's code while it is fresh, only during the session, only a participant of the
    cohort. A second scan is harmless."""
    _checked_code(session, code)
    participant = CohortApplication.objects.filter(
        cohort_id=session.cohort_id, applicant=actor, status=S.CONFIRMED
    ).first()
    if participant is None or not actor.is_active:
        raise ValidationError(_("You are not a participant of this cohort."), code="not_participant")
    session = Session.objects.select_for_update().get(pk=session.pk)
    now = now or timezone.now()
    if not (session.starts_at <= now <= session.ends_at):
        raise ValidationError(_("You can check in only while the session is on."), code="not_running")
    attendance, created = Attendance.objects.get_or_create(
        session=session, participant=participant, defaults={"present": True, "marked_by": actor}
    )
    if not created and not attendance.present:
        attendance.present, attendance.marked_by, attendance.marked_at = True, actor, timezone.now()
        attendance.save(update_fields=["present", "marked_by", "marked_at"])
    return attendance
