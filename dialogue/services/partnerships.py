"""Partnerships born from dialogue: created by staff or by an editor of a verified
organisation (who edits one of the members), edited by staff or a member's editors; the
members are organisations of the registry of at least two different kinds (sectors). The
status moves through dialogue.workflow.PARTNERSHIP (with its history)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.permissions import has_staff_powers, require
from dialogue.choices import PartnershipStatus
from dialogue.models import Partnership
from dialogue.rules import editable_organization_ids
from dialogue.selectors import PUBLIC_EVENT
from dialogue.workflow import PARTNERSHIP

MAX_MEMBERS = 50


def check_members(members) -> list:
    """The member organisations, checked: at least two, of at least two different kinds."""
    members = list({m.pk: m for m in members or [] if getattr(m, "pk", None)}.values())
    if len(members) < 2:
        raise ValidationError(
            _("A partnership needs at least two member organisations."), code="too_few_members"
        )
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            _("A partnership has at most %(max)d members.") % {"max": MAX_MEMBERS}, code="too_many_members"
        )
    if any(not m.is_active for m in members):
        raise ValidationError(_("Choose active organisations of the registry."), code="inactive_member")
    if len({m.kind for m in members}) < 2:
        raise ValidationError(
            _(
                "A cross-sector partnership needs members of at least two different kinds "
                "(for example a CSO and a public institution)."
            ),
            code="one_sector",
        )
    return members


def _check_links(events, commitments) -> tuple[list, list]:
    events = list(events or [])
    commitments = list(commitments or [])
    if any(e.status not in PUBLIC_EVENT for e in events):
        raise ValidationError(_("Link only published events."), code="event_not_public")
    if any(c.event.status not in PUBLIC_EVENT for c in commitments):
        raise ValidationError(_("Link only commitments of published events."), code="commitment_not_public")
    return events, commitments


def _clean_text(name, goal):
    name, goal = (name or "").strip(), (goal or "").strip()
    if not name:
        raise ValidationError(_("Give the partnership a name."), code="name_missing")
    if not goal:
        raise ValidationError(_("Say what the partnership wants to achieve."), code="goal_missing")
    return name, goal


def partnership_create(
    *, actor, name: str, goal: str, started_on, members, outputs: str = "", events=(), commitments=()
) -> Partnership:
    require(actor, "dialogue.create_partnership")
    name, goal = _clean_text(name, goal)
    members = check_members(members)
    if not has_staff_powers(actor) and not {m.pk for m in members} & set(editable_organization_ids(actor)):
        raise PermissionDenied(
            _("You may create a partnership only with an organisation you edit as a member.")
        )
    events, commitments = _check_links(events, commitments)
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=name,
            goal=goal,
            started_on=started_on,
            outputs=(outputs or "").strip(),
            created_by=actor,
        )
        partnership.members.set(members)
        partnership.events.set(events)
        partnership.commitments.set(commitments)
    return partnership


def partnership_update(
    *,
    partnership: Partnership,
    actor,
    name: str,
    goal: str,
    started_on,
    members,
    outputs: str = "",
    events=(),
    commitments=(),
    status: str | None = None,
    note: str = "",
) -> Partnership:
    """Change the partnership (and move its status when `status` differs). An editor may not
    leave the partnership without a member they edit (only staff may)."""
    require(actor, "dialogue.change_partnership", partnership)
    name, goal = _clean_text(name, goal)
    members = check_members(members)
    if not has_staff_powers(actor) and not {m.pk for m in members} & set(editable_organization_ids(actor)):
        raise ValidationError(
            _("Keep at least one organisation you edit among the members."), code="own_member_removed"
        )
    events, commitments = _check_links(events, commitments)
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
        partnership.name, partnership.goal = name, goal
        partnership.started_on = started_on
        partnership.outputs = (outputs or "").strip()
        partnership.save(update_fields=["name", "goal", "started_on", "outputs", "updated_at"])
        partnership.members.set(members)
        partnership.events.set(events)
        partnership.commitments.set(commitments)
        if status and status != partnership.status:
            PARTNERSHIP.move(partnership, status, actor=actor, note=note)
    return partnership


def partnership_move(*, partnership: Partnership, actor, status: str, note: str = "") -> Partnership:
    if status not in PartnershipStatus.values:
        raise ValidationError(_("Choose a status."), code="bad_status")
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
        PARTNERSHIP.move(partnership, status, actor=actor, note=note)
    return partnership
