from django import template

from volunteering.selectors import matching
from volunteering.selectors.opportunities import organization_open_opportunities

register = template.Library()


@register.simple_tag
def open_opportunities_of(organization, limit=5):
    """`{% open_opportunities_of organization as opportunities %}` (the profile's snippet)."""
    return organization_open_opportunities(organization, limit)


@register.simple_tag
def language_label(code):
    from volunteering.choices import Language

    return Language(code).label if code in Language.values else code


register.filter("explain", matching.explain)
