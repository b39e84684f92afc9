"""Small helpers for the workspace item pages' templates."""

from django import template

register = template.Library()


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
