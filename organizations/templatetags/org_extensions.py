"""`{% org_extensions "card" organization %}`: the snippets other apps registered for a slot
(`organizations.extensions.register_template_snippet`), rendered in place with
`organization` in the context. Renders nothing when no app registered one."""

from django import template
from django.utils.safestring import mark_safe

from organizations import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def org_extensions(context, slot, organization):
    names = extensions.template_snippets(slot)
    if not names:
        return ""
    engine = context.template.engine
    parts = []
    with context.push(organization=organization, extension_slot=slot):
        for name in names:
            parts.append(engine.get_template(name).render(context))
    return mark_safe("".join(parts))
