"""What the login page needs to know about single sign-on."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def oidc_login_url(context) -> str:
    """The link to log in with the organisation's own account, or "" when single sign-on is
    not configured (OIDC_ENABLED, portal/settings/authentication.py)."""
    if not getattr(settings, "OIDC_ENABLED", False):
        return ""
    try:
        url = reverse("oidc_authentication_init")
    except NoReverseMatch:
        return ""
    request = context.get("request")
    next_url = request.GET.get("next", "") if request is not None else ""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
