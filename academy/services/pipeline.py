"""The pipeline: a finished community project becomes, in one step, a pre-filled draft
grant application or a draft volunteer opportunity. The academy does not import those apps:
it hands the project's facts to them by name through `core.handoffs`; each creates the
draft with its own services and checks."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from academy.models import CommunityProject
from academy.services.common import require
from core import handoffs

TARGETS = {
    "grant": "grants.application_draft",
    "opportunity": "volunteering.opportunity_draft",
}


def project_facts(project: CommunityProject, actor) -> dict:
    me = project.members.filter(applicant=actor).only("municipality_id").first()
    return {
        "title": project.title,
        "issue": project.issue,
        "plan": project.plan,
        "result": project.result,
        "peers_mobilised": project.peers_mobilised,
        "municipality_id": me.municipality_id if me else None,
        "source": f"academy.project:{project.pk}",
    }


def project_handoff(*, actor, project: CommunityProject, target: str) -> str:
    """The URL of the new draft; refused for an unfinished project or a target unknown."""
    require(actor, "academy.edit_project", project)
    if target not in TARGETS or not handoffs.is_registered(TARGETS[target]):
        raise ValidationError(_("Choose from the list."), code="invalid_choice")
    if project.finished_at is None:
        raise ValidationError(
            _("Only a finished project becomes a grant application or a volunteer opportunity."),
            code="not_finished",
        )
    return handoffs.create(TARGETS[target], user=actor, facts=project_facts(project, actor))
