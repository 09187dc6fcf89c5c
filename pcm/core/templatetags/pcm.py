"""Template helpers: accessible, Bootstrap-styled form fields and small display filters."""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

_CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, _CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.simple_tag
def field(bound: forms.BoundField) -> SafeString:
    """A label, the control, its help text and its errors, linked for screen readers."""
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        # Each option is rendered from the widget's own attributes.
        widget.attrs["class"] = "form-check-input"
    classes = [_css_class(widget)]
    described_by = []
    if bound.help_text:
        described_by.append(f"{bound.auto_id}_help")
    if bound.errors:
        classes.append("is-invalid")
        described_by.append(f"{bound.auto_id}_errors")
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if bound.field.required and not isinstance(widget, _CHECK_WIDGETS):
        attrs["required"] = "required"
    context = {
        "field": bound,
        "control": bound.as_widget(attrs=attrs),
        "is_check": isinstance(widget, forms.CheckboxInput),
        "is_multi": isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect),
        "is_hidden": bound.is_hidden,
    }
    return SafeString(render_to_string("core/_field.html", context))


RISK_BADGES = {"high": "text-bg-danger", "medium": "text-bg-warning", "low": "text-bg-secondary"}


@register.filter
def risk_badge(level: str) -> str:
    return RISK_BADGES.get(level, "text-bg-light")
