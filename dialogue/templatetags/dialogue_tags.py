from django import template

from dialogue import selectors
from dialogue.formats import event_in_full

register = template.Library()


@register.simple_tag
def organization_commitments(organization, limit=10):
    """`{% organization_commitments organization as commitments %}`: its public commitments."""
    return selectors.commitments_of_organization(organization, limit=limit)


@register.simple_tag
def organization_partnerships(organization, limit=10):
    """`{% organization_partnerships organization as partnerships %}`: its partnerships."""
    return selectors.partnerships_of_organization(organization, limit=limit)


@register.filter
def in_full(event) -> str:
    """`{{ event|in_full }}`: "Tuesday, 15 December 2026, 10:00–12:00, Prishtina, Municipal Hall"."""
    return event_in_full(event) if event is not None else ""


@register.inclusion_tag("dialogue/includes/_follow_button.html", takes_context=True)
def follow_button(context, kind: str, obj):
    """`{% follow_button "event" event %}`: follow / unfollow (htmx, or a plain form post that
    comes back here); a sign-in link for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "kind": kind,
        "object_id": obj.pk,
        "signed_in": bool(getattr(user, "is_authenticated", False)),
        "following": selectors.is_following(user, kind, obj.pk),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
