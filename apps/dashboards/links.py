"""The public address of an area page (Dutch and stable, BRIEF §4)."""

from django.urls import reverse

from apps.geography.levels import Level, level_of_code

PAGE_LEVELS = {
    Level.PROVINCIE: "provincie",
    Level.GEMEENTE: "gemeente",
    Level.WIJK: "wijk",
    Level.BUURT: "buurt",
}


def area_url(area) -> str:
    if area.level == Level.LAND:
        return reverse("dashboards:home")
    return reverse("dashboards:area", args=[PAGE_LEVELS[area.level], area.code])


def area_page_url(code: str) -> str:
    """The page of an area known only by its code; '' for a code no page has (Nederland, or not
    a CBS code)."""
    level = level_of_code(code)
    if level not in PAGE_LEVELS:
        return ""
    return reverse("dashboards:area", args=[PAGE_LEVELS[level], code])


def area_url_pattern(level: Level) -> str:
    """The page URL of a level with ``{code}`` where the browser fills in the code."""
    return reverse("dashboards:area", args=[PAGE_LEVELS[level], "CODE"]).replace("CODE", "{code}")


def drill_link(definition, level: str) -> str:
    """Where an area on an indicator's map or in its table leads (``{code}`` filled in by the
    browser): the same indicator one level deeper, or the area's page at the bottom."""
    deeper = {Level.PROVINCIE: Level.GEMEENTE, Level.GEMEENTE: Level.WIJK, Level.WIJK: Level.BUURT}.get(level)
    if deeper and deeper in definition.levels:
        return reverse("dashboards:indicator-area", args=[definition.slug, "CODE"]).replace("CODE", "{code}")
    return area_url_pattern(Level(level))
