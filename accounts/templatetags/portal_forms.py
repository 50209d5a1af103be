"""Bootstrap 5 rendering of form fields that were not built with CSS classes (allauth's)."""

from django import forms, template

register = template.Library()


def _css_class(widget: forms.Widget) -> str:
    if getattr(widget, "input_type", None) in ("checkbox", "radio"):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def bootstrap_widget(bound_field):
    """The field's widget with Bootstrap classes and the ARIA links to its help and errors."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), _css_class(widget)]
    attrs = {}
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{bound_field.auto_id}_error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    attrs["class"] = " ".join(c for c in classes if c).strip()
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field) -> bool:
    return getattr(bound_field.field.widget, "input_type", None) == "checkbox"
