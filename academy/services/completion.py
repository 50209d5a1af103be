"""The completion rule (kept as data on the cohort: a minimum attendance and, if the cohort
says so, a finished community project) and the certificate it gives (core.certificates)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from academy.models import Attendance, CohortApplication, CommunityProject, Session
from academy.services.common import require


@dataclass(frozen=True)
class Completion:
    sessions: int
    attended: int
    percent: int  # rounded down
    project: CommunityProject | None  # the first finished project of the participant
    attendance_ok: bool
    project_ok: bool

    @property
    def completed(self) -> bool:
        return self.attendance_ok and self.project_ok


def completion_of(participant: CohortApplication) -> Completion:
    """Where a participant stands against their cohort's completion rule (three queries)."""
    cohort = participant.cohort
    sessions = Session.objects.filter(cohort=cohort).count()
    attended = Attendance.objects.filter(
        participant=participant, present=True, session__cohort=cohort
    ).count()
    percent = (attended * 100) // sessions if sessions else 0
    project = (
        CommunityProject.objects.filter(members=participant, finished_at__isnull=False)
        .order_by("finished_at", "pk")
        .first()
    )
    return Completion(
        sessions=sessions,
        attended=attended,
        percent=percent,
        project=project,
        attendance_ok=sessions > 0 and percent >= cohort.completion_min_attendance,
        project_ok=project is not None or not cohort.completion_requires_project,
    )


def certificate_issue(*, actor, participant: CohortApplication):
    """The participant's certificate of completion (the same one again on a second ask);
    refused, with the reason, to someone who did not complete."""
    from academy.certificates import KIND
    from core import certificates

    require(actor, "academy.download_certificate", participant)
    state = completion_of(participant)
    reasons = []
    if not state.attendance_ok:
        reasons.append(
            _("You attended %(percent)s%% of the sessions; completing needs %(minimum)s%%.")
            % {"percent": state.percent, "minimum": participant.cohort.completion_min_attendance}
        )
    if not state.project_ok:
        reasons.append(_("Completing needs a finished community project."))
    if reasons:
        raise ValidationError(reasons, code="not_completed")
    cohort, user = participant.cohort, participant.applicant
    facts = {
        "cohort": cohort.title_sq,
        "cohort_sr": cohort.title_sr,
        "cohort_en": cohort.title_en,
        "year": cohort.year,
        "attendance": state.percent,
        "project": state.project.title if state.project else "",
    }
    return certificates.issue(
        kind=KIND,
        holder_name=user.get_full_name() or user.email,
        facts=facts,
        source=participant,
        holder=user,
    )
