"""What each page's map shows: which web boundary files, which area to highlight, where a click
leads. The browser (static/js/area-map.js) reads this as JSON."""

from django.urls import reverse

from apps.geography import selectors
from apps.geography.levels import NEDERLAND_CODE, Level

from .links import area_url_pattern, drill_link


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


def indicator_map_config(definition, scope, *, level: str, year: int | None, release, classes: dict | None,
                         vintage: int) -> dict:
    """A choropleth: the boundaries of ``level`` inside ``scope`` coloured by the release's
    values (the /waarden file, joined by code in the browser), classes as the legend says."""
    if release is None or year is None or classes is None:
        return {"layers": []}
    scope_code = scope.code if scope is not None else NEDERLAND_CODE
    gemeente = selectors.gemeente_of(scope) if scope is not None and scope.level in (Level.GEMEENTE, Level.WIJK, Level.BUURT) else None
    if level == Level.GEMEENTE:
        url = selectors.national_gemeente_map_url(vintage=vintage)
        parent = scope_code if scope is not None else None
    elif level in (Level.WIJK, Level.BUURT) and gemeente is not None:
        url = selectors.web_boundary_urls(vintage=vintage, level=level, scopes=[gemeente.code]).get(gemeente.code)
        parent = scope_code if scope.level == Level.WIJK else None
    else:
        url = None  # no boundary files of this level (e.g. provincies of this indeling)
    if not url:
        return {"layers": []}
    values = reverse("releases:map_values", args=[release.number, definition.slug, level, year])
    within = gemeente.code if gemeente is not None else (scope_code if scope is not None else "")
    if within:
        values += f"?binnen={within}"
    layer = {
        "url": url, "link": drill_link(definition, level), "parent": parent, "values": values,
        "breaks": classes["breaks"], "colours": list(classes["colours"]),
    }
    if scope is not None and scope.level == Level.BUURT:
        layer["highlight"] = scope_code  # a buurt's own page: its gemeente's buurten, itself marked
    return {"layers": [layer]}
