"""Small helpers for the workspace item pages' templates."""

from django import template

register = template.Library()

GROUP_WIDGETS = {"radioselect", "checkboxselectmultiple"}


@register.filter
def is_group(bound_field) -> bool:
    """Radio buttons and check boxes: a fieldset with a legend instead of one label."""
    return bound_field.widget_type in GROUP_WIDGETS


@register.filter
def focus_id(bound_field) -> str:
    """The id the error summary links to: the field, or the first option of a group."""
    if bound_field.widget_type in GROUP_WIDGETS:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.simple_tag(takes_context=True)
def belongs_to_an_organisation(context) -> bool:
    """The visitor is logged in and a member of an organisation (so can keep workspace items).
    Anonymous visitors cost no query."""
    from apps.organisations import selectors as organisations

    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return False
    return organisations.organisations_of(user).exists()
