from django import template

from dialogue import selectors

register = template.Library()


@register.simple_tag
def organization_commitments(organization, limit=10):
    """`{% organization_commitments organization as commitments %}`: its public commitments."""
    return selectors.commitments_of_organization(organization, limit=limit)
