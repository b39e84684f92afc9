from django import template
from django.utils.translation import get_language

from apps.dashboards import formatting

register = template.Library()


@register.filter
def localized(definition, field: str) -> str:
    """An indicator's text in the page's language: ``{{ definition|localized:"unit" }}``."""
    return definition.localized(field, get_language() or "nl")


@register.simple_tag(takes_context=True)
def download_url(context, file_format: str, which: str = "") -> str:
    """The page's own address asking for its table (or its table ``which``) as a file."""
    request = context["request"]
    query = request.GET.copy()
    query["formaat"] = file_format
    if which:
        query["tabel"] = which
    else:
        query.pop("tabel", None)
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def with_query(context, **changes) -> str:
    """The page's address with some query parameters changed (a year, a level)."""
    request = context["request"]
    query = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    query.pop("formaat", None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


@register.filter
def status_legend(table) -> list[dict]:
    """The legend of the status symbols a PageTable shows: ``{% with legend=table|status_legend %}``."""
    return formatting.status_legend(table.symbols())
