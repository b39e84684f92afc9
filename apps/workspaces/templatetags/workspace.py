"""The workspace's own navigation: which organisation the page is about, and the sections."""

from django import template

from apps.organisations import selectors as organisations
from apps.organisations.models import Role

register = template.Library()


@register.inclusion_tag("workspaces/includes/nav.html", takes_context=True)
def workspace_nav(context, current: str = ""):
    """``current`` names the section the page belongs to (aria-current on its link)."""
    user = context["request"].user
    own = list(organisations.organisations_of(user))
    organisation = context.get("organisation") or (own[0] if own else None)
    return {
        "request": context["request"],
        "organisation": organisation if organisation in own else (own[0] if own else None),
        "organisations": own,
        "current": current,
        "is_editor": bool(organisation) and organisations.has_role(user, organisation, Role.EDITOR),
        "can_manage": bool(organisation) and organisations.can_manage(user, organisation),
    }
