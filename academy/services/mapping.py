"""Community mapping: an organisation's editors record the stakeholders of its locality
(from the registry, through organizations.selectors, or typed), with interest and influence
1–5 and the relation; the map is private to the organisation's members unless it shares it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from academy.choices import StakeholderKind, StakeholderRelation
from academy.models import CommunityMap, Stakeholder
from organizations.selectors import public_organizations

MAX_STAKEHOLDERS = 200


def _editor(actor, organization) -> None:
    if not actor.has_perm("academy.edit_community_map", organization):
        raise PermissionDenied(_("Only the organisation's owners and editors change its community map."))


def _lock_map(organization) -> CommunityMap:
    CommunityMap.objects.get_or_create(organization=organization)
    return CommunityMap.objects.select_for_update().get(organization=organization)


def _pk(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


def _score(data: dict, name: str, label: str) -> int:
    try:
        value = int(data.get(name))
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({name: _("%(what)s: from 1 to 5.") % {"what": label}})
    return value


@transaction.atomic
def stakeholder_add(*, actor, organization, data: dict) -> Stakeholder:
    _editor(actor, organization)
    community_map = _lock_map(organization)
    kind = data.get("kind")
    if kind not in StakeholderKind.values:
        raise ValidationError({"kind": _("Choose from the list.")})
    relation = data.get("relation") or StakeholderRelation.UNKNOWN
    if relation not in StakeholderRelation.values:
        raise ValidationError({"relation": _("Choose from the list.")})
    registry = None
    raw = data.get("registry_organization")
    if raw not in (None, ""):
        pk = _pk(getattr(raw, "pk", raw))
        registry = public_organizations().filter(pk=pk).first() if pk else None
        if registry is None:
            raise ValidationError({"registry_organization": _("Choose from the list.")})
    name = (data.get("name") or "").strip()[:200]
    if registry is None and not name:
        raise ValidationError({"name": _("Choose an organisation from the registry or type a name.")})
    if community_map.stakeholders.count() >= MAX_STAKEHOLDERS:
        raise ValidationError(
            _("A map holds at most %(count)s stakeholders.") % {"count": MAX_STAKEHOLDERS}, code="too_many"
        )
    return Stakeholder.objects.create(
        community_map=community_map,
        kind=kind,
        organization=registry,
        name="" if registry is not None else name,
        interest=_score(data, "interest", _("Interest")),
        influence=_score(data, "influence", _("Influence")),
        relation=relation,
        note=(data.get("note") or "").strip()[:2000],
    )


@transaction.atomic
def stakeholder_remove(*, actor, organization, stakeholder_id) -> None:
    _editor(actor, organization)
    community_map = _lock_map(organization)
    deleted, _rows = Stakeholder.objects.filter(community_map=community_map, pk=_pk(stakeholder_id)).delete()
    if not deleted:
        raise ValidationError(_("Choose from the list."), code="invalid_choice")


@transaction.atomic
def map_settings(*, actor, organization, shared: bool, locality: str = "") -> CommunityMap:
    """Share the map publicly (or stop sharing it) and name its locality."""
    _editor(actor, organization)
    community_map = _lock_map(organization)
    community_map.shared = bool(shared)
    community_map.locality = (locality or "").strip()[:200]
    community_map.save(update_fields=["shared", "locality", "updated_at"])
    return community_map
