"""Reads for the open data API. Published figures come from the one reader of releases
(``apps.releases.selectors``), never a restricted table (BRIEF §5); this module adds the areas
and zoekgebieden. Every function costs a fixed number of queries, whatever the selection's size.
"""

from __future__ import annotations

from django.db.models import Q

from apps.comparisons.models import Zoekgebied
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from apps.releases import selectors as reader
from apps.releases.models import Release


def indicator_years(release: Release) -> dict[str, list[int]]:
    """The years each indicator has figures for in a release (all branches, every level: an
    indicator need not have Nederland), oldest first. Read once per release."""
    return reader.indicator_years(release)


def areas_within(scope: str, level: str, *, vintage: int | None = None):
    """Codes of the areas of ``level`` inside ``scope`` (Nederland, a provincie, gemeente or
    wijk), by the indeling's parents (as the maps' values files do). A list, read first: as a
    subquery PostgreSQL may plan a semi-join that looks up every value's code without a usable
    index (minutes when its statistics are stale; see apps/releases/selectors.in_scope)."""
    areas = Area.objects.filter(level=level)
    if vintage is not None:
        areas = areas.filter(vintage=vintage)
    if scope != NEDERLAND_CODE:
        areas = areas.filter(
            Q(parent__code=scope) | Q(parent__parent__code=scope) | Q(parent__parent__parent__code=scope)
        )
    return list(areas.values_list("code", flat=True))


def value_queryset(release: Release, *, indicators: list[str], level: str = "", codes: list[str] | None = None,
                   within: str = "", years: list[int] | None = None, sections: list[str] | None = None):
    """The published values of a selection as rows (``reader.VALUE_FIELDS``), ordered by
    indicator, year, area and section; ``count()`` and slices read only what they need."""
    return reader.value_selection(
        release, indicators=indicators, level=level, codes=codes,
        within_codes=areas_within(within, level) if within and level else None, years=years, sections=sections,
    )


def value_rows(selection) -> list[tuple]:
    return list(selection)


def area_names(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """{(code, vintage): name} of the areas named in a page of values, in one query."""
    if not pairs:
        return {}
    codes = {code for code, _ in pairs}
    vintages = {vintage for _, vintage in pairs}
    rows = Area.objects.filter(code__in=codes, vintage__in=vintages).values_list("code", "vintage", "name")
    return {(code, vintage): name for code, vintage, name in rows}


def zoekgebied_queryset(release: Release, *, themes: list[str], levels: list[str], within: str = "",
                        years: list[int] | None = None):
    rows = Zoekgebied.objects.filter(release=release, level__in=levels)
    if themes:
        rows = rows.filter(theme__in=themes)
    if within:
        condition = Q(area_code=within)
        for level in levels:
            condition |= Q(area_code__in=areas_within(within, level))
        rows = rows.filter(condition)
    if years:
        rows = rows.filter(year__in=years)
    return rows.order_by("theme", "year", "level", "area_code")


def area_queryset(*, vintage: int, level: str = "", within: str = ""):
    areas = Area.objects.filter(vintage=vintage).defer("geometry")
    if level:
        areas = areas.filter(level=level)
    if within:
        if level:
            areas = areas.filter(code__in=areas_within(within, level, vintage=vintage))
        else:
            areas = areas.filter(
                Q(parent__code=within) | Q(parent__parent__code=within) | Q(parent__parent__parent__code=within)
                | Q(parent__parent__parent__parent__code=within)
            )
    return areas.select_related("parent").defer("parent__geometry").order_by("code")


def child_counts(area: Area) -> dict[str, int]:
    """How many areas of each level lie inside an area (one query)."""
    from django.db.models import Count

    rows = (
        Area.objects.filter(vintage=area.vintage)
        .filter(Q(parent=area) | Q(parent__parent=area) | Q(parent__parent__parent=area)
                | Q(parent__parent__parent__parent=area))
        .order_by().values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    counts = dict(rows)
    return {level.value: counts[level.value] for level in Level if level.value in counts}
