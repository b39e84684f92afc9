"""What each page's map shows: which web boundary files, which area to highlight, where a click
leads. The browser (static/js/area-map.js) reads this as JSON."""

from apps.geography import selectors
from apps.geography.levels import NEDERLAND_CODE, Level

from .links import area_url_pattern


def national_map_config(*, vintage: int) -> dict:
    url = selectors.national_gemeente_map_url(vintage=vintage)
    layers = [{"url": url, "link": area_url_pattern(Level.GEMEENTE)}] if url else []
    return {"layers": layers}


def area_map_config(area) -> dict:
    """The map of an area page: its children (a buurt page: its siblings, itself highlighted)."""
    vintage = area.vintage
    gemeente = selectors.gemeente_of(area)
    if area.level == Level.PROVINCIE:
        url = selectors.national_gemeente_map_url(vintage=vintage)
        layer = {"url": url, "link": area_url_pattern(Level.GEMEENTE), "parent": area.code}
        return {"layers": [layer] if url else []}
    if area.level == Level.GEMEENTE:
        level, parent_filter, highlight = Level.WIJK, area.code, None
    elif area.level == Level.WIJK:
        level, parent_filter, highlight = Level.BUURT, area.code, None
    else:
        level, parent_filter, highlight = Level.BUURT, area.parent.code if area.parent else None, area.code
    scope = gemeente.code if gemeente else NEDERLAND_CODE
    url = selectors.web_boundary_urls(vintage=vintage, level=level, scopes=[scope]).get(scope)
    layer = {"url": url, "link": area_url_pattern(level), "parent": parent_filter, "highlight": highlight}
    return {"layers": [layer] if url else []}
