"""Reads of published data for the open data API. Published values only (BRIEF §5): never a
restricted table. Every function costs a fixed number of queries, whatever the selection's size.
"""

from __future__ import annotations

from django.db.models import Q

from apps.comparisons.models import Zoekgebied
from apps.core.area_codes import LEVEL_PREFIX
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from apps.releases.cache import per_release
from apps.releases.models import PublishedValue, Release

VALUE_FIELDS = (
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "index_nl",
    "index_provincie", "index_peer", "peer_group", "index_knn", "knn_codes", "percentile",
    "percentile_gemeente", "sig_nl", "sig_provincie", "sig_peer", "change", "change_pct", "series_break",
)


def indicator_years(release: Release) -> dict[str, list[int]]:
    """The years each indicator has figures for in a release (all branches), oldest first.
    Read once per release (an indicator need not have Nederland, so all levels count)."""

    def read():
        rows = (
            PublishedValue.objects.filter(release=release, sbi_section="")
            .order_by().values_list("indicator", "year").distinct()
        )
        years: dict[str, list[int]] = {}
        for indicator, year in sorted(set(rows)):
            years.setdefault(indicator, []).append(year)
        return years

    return per_release(release, "api:indicator-years", read)


def areas_within(scope: str, level: str, *, vintage: int | None = None):
    """Codes of the areas of ``level`` inside ``scope`` (Nederland, a provincie, gemeente or
    wijk), by the indeling's parents (as the maps' values files do). A list, read first: as a
    subquery PostgreSQL may plan a semi-join that looks up every value's code without a usable
    index (minutes when its statistics are stale; see apps/dashboards/selectors._in_scope)."""
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
    """The published values of a selection, ordered by indicator, year, area and section."""
    values = PublishedValue.objects.filter(release=release, indicator__in=indicators,
                                           sbi_section__in=sections or [""])
    if level:
        values = values.filter(area_code__startswith=LEVEL_PREFIX[level])
    if codes:
        values = values.filter(area_code__in=codes)
    if within and level:
        values = values.filter(area_code__in=areas_within(within, level))
    if years:
        values = values.filter(year__in=years)
    return values.order_by("indicator", "year", "area_code", "sbi_section")


def value_rows(queryset) -> list[tuple]:
    return list(queryset.values_list(*VALUE_FIELDS))


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
