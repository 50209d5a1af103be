from django import template

from dialogue import selectors

register = template.Library()


@register.simple_tag
def organization_commitments(organization, limit=10):
    """`{% organization_commitments organization as commitments %}`: its public commitments."""
    return selectors.commitments_of_organization(organization, limit=limit)


@register.simple_tag
def organization_partnerships(organization, limit=10):
    """`{% organization_partnerships organization as partnerships %}`: its partnerships."""
    return selectors.partnerships_of_organization(organization, limit=limit)
