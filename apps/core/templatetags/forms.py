"""Filters of the shared form templates (templates/forms/): ``{% load forms %}``."""

from django import template

register = template.Library()

GROUP_WIDGETS = {"radioselect", "checkboxselectmultiple"}


@register.filter
def is_group(bound_field) -> bool:
    """Radio buttons and check boxes: a fieldset with a legend instead of one label."""
    return bound_field.widget_type in GROUP_WIDGETS


@register.filter
def is_check(bound_field) -> bool:
    """One check box: the box comes before its label, as people expect."""
    return bound_field.widget_type == "checkbox"


@register.filter
def focus_id(bound_field) -> str:
    """The id the error summary links to: the field, or the first option of a group."""
    if is_group(bound_field):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id
