"""Who may do what in dialogue. Checked by views and again by services.

- Events are organised by KCSF staff or by editors of a verified organisation (for that
  organisation); the organiser publishes, cancels, sees the registrations and checks in.
- Anyone signed in registers; a person cancels their own registration (the organiser too).
- A commitment is recorded by the event's organiser or by an editor of the committed
  organisation; it is updated only by the editors of the committed organisation.
- Signed-in people comment on commitments; staff moderate.
- A partnership is created by staff or by an editor of a verified organisation (who must
  edit one of its members); it is edited by staff or by an editor of a member organisation.
- A person with a place at an event answers its trust survey (the service checks the
  registration and the moment).
- Public consultations are published, opened, closed and answered by KCSF staff; everyone
  sees an open or closed one; signed-in people comment and support others' comments (the
  service checks that it is open, and refuses supporting one's own comment).
"""

import rules

from dialogue.choices import PUBLIC_CONSULTATION, EventStatus
from organizations.models import Membership
from organizations.rules import is_org_editor

is_staff = rules.is_staff & rules.is_active
is_signed_in = rules.is_authenticated & rules.is_active


def editable_organization_ids(user) -> list[int]:
    """The verified organisations `user` edits (owner or editor): those they organise for."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_dialogue_org_ids", None)
    if cached is None:
        cached = user._dialogue_org_ids = list(
            Membership.objects.filter(
                user=user,
                role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
                organization__verification_status="verified",
                organization__is_active=True,
            ).values_list("organization_id", flat=True)
        )
    return cached


@rules.predicate
def edits_a_verified_organization(user):
    return bool(editable_organization_ids(user))


@rules.predicate
def is_event_organiser(user, event):
    if event is None or event.organization_id is None:
        return False
    return event.organization_id in editable_organization_ids(user)


@rules.predicate
def is_public_event(user, event):
    return event is not None and event.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)


@rules.predicate
def is_own_registration(user, registration):
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def organises_registration_event(user, registration):
    return registration is not None and (is_staff(user) or is_event_organiser(user, registration.event))


@rules.predicate
def edits_committed_organization(user, commitment):
    return commitment is not None and commitment.organization_id in editable_organization_ids(user)


@rules.predicate
def edits_partnership_member(user, partnership):
    if partnership is None:
        return False
    mine = set(editable_organization_ids(user))
    return bool(mine) and partnership.members.filter(pk__in=mine).exists()


@rules.predicate
def is_public_consultation(user, consultation):
    return consultation is not None and consultation.status in PUBLIC_CONSULTATION


@rules.predicate
def has_published_follow_up(user, event):
    """The event's minutes / closing report (with documents and photos) are published."""
    if event is None:
        return False
    follow_up = getattr(event, "_follow_up_cache", None)
    if follow_up is None:
        from dialogue.models import EventFollowUp

        follow_up = event._follow_up_cache = (
            EventFollowUp.objects.filter(event=event).only("published_at").first() or False
        )
    return bool(follow_up) and follow_up.published_at is not None


organiser = is_staff | is_event_organiser

# Events
rules.add_perm("dialogue.create_event", is_staff | edits_a_verified_organization)
rules.add_perm("dialogue.view_event", is_public_event | organiser)
rules.add_perm("dialogue.change_event", organiser)
rules.add_perm("dialogue.publish_event", organiser)
rules.add_perm("dialogue.cancel_event", organiser)
rules.add_perm("dialogue.view_registrations", organiser)
rules.add_perm("dialogue.check_in_event", organiser)
rules.add_perm("dialogue.register", is_signed_in)

# Registrations (on a registration)
rules.add_perm("dialogue.cancel_registration", is_own_registration | organises_registration_event)
rules.add_perm("dialogue.manage_registrations", organises_registration_event)
rules.add_perm("dialogue.check_in", organises_registration_event)

# Commitments: recorded on an event by its organiser (or, in the service, by an editor of the
# committed organisation); updated by the committed organisation's editors only.
rules.add_perm("dialogue.record_commitment", organiser | edits_a_verified_organization)
rules.add_perm("dialogue.update_commitment", edits_committed_organization)
rules.add_perm("dialogue.mark_commitment_late", is_staff)
rules.add_perm("dialogue.comment_on_commitment", is_signed_in)
rules.add_perm("dialogue.moderate_comments", is_staff)

# Partnerships
rules.add_perm("dialogue.create_partnership", is_staff | edits_a_verified_organization)
rules.add_perm("dialogue.change_partnership", is_staff | edits_partnership_member)

# After the event (minutes, documents, photos: written by whoever may change the event) and
# follows with their digest
rules.add_perm("dialogue.view_follow_up", organiser | (is_public_event & has_published_follow_up))
rules.add_perm("dialogue.follow", is_signed_in)

# Trust survey (a registration of the person is checked by the service)
rules.add_perm("dialogue.answer_trust_survey", is_signed_in & is_public_event)

# Public consultations
rules.add_perm("dialogue.manage_consultations", is_staff)
rules.add_perm("dialogue.view_consultation", is_public_consultation | is_staff)
rules.add_perm("dialogue.comment_on_consultation", is_signed_in)
rules.add_perm("dialogue.support_comment", is_signed_in)
rules.add_perm("dialogue.answer_comment", is_staff)

__all__ = ["editable_organization_ids", "is_org_editor"]
