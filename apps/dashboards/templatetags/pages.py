from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def download_url(context, file_format: str) -> str:
    """The page's own address asking for its table as a file."""
    request = context["request"]
    query = request.GET.copy()
    query["formaat"] = file_format
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
