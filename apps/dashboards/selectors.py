"""Reads of the current release for the public pages, cached per release.

Every function here costs at most one query per call and a fixed number per page, whatever the
number of areas or indicators; results are plain values (picklable) kept under the release's
number (apps.releases.cache), so a warm page reads no table at all. Only published cells are read:
suppressed cells come without a value, as they are stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from apps.comparisons.models import OpportunityProfile, Zoekgebied
from apps.core.area_codes import LEVEL_PREFIX
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from apps.releases.cache import per_release
from apps.releases.models import PublishedValue, Release

CELL_FIELDS = (
    "indicator", "area_code", "year", "value", "status", "index_nl", "index_provincie",
    "index_peer", "peer_group", "sig_nl", "sig_provincie", "sig_peer", "percentile",
    "percentile_gemeente", "change", "change_pct", "series_break", "knn_codes",
)


@dataclass(frozen=True)
class Cell:
    """One published value as the pages use it (all branches)."""

    indicator: str
    area_code: str
    year: int
    value: float | None
    status: str
    index_nl: float | None
    index_provincie: float | None
    index_peer: float | None
    peer_group: str
    sig_nl: str
    sig_provincie: str
    sig_peer: str
    percentile: float | None
    percentile_gemeente: float | None
    change: float | None
    change_pct: float | None
    series_break: bool
    knn_codes: str  # the nearest neighbours on context, ','-separated

    @property
    def published(self) -> bool:
        return self.value is not None and self.status == "V"


def _cells(queryset) -> list[Cell]:
    cells = [Cell(*row) for row in queryset.values_list(*CELL_FIELDS)]
    cells.sort(key=lambda cell: (cell.indicator, cell.year, cell.area_code))
    return cells


def section_values(release: Release, *, indicator: str, code: str, year: int) -> list[tuple]:
    """``(section, value, status)`` of one area per SBI section (branche indicators)."""

    def read():
        rows = (
            PublishedValue.objects.filter(release=release, indicator=indicator, area_code=code, year=year)
            .exclude(sbi_section="").order_by().values_list("sbi_section", "value", "status")
        )
        return sorted(rows)

    return per_release(release, f"sections:{indicator}:{code}:{year}", read)


def _values(release: Release):
    # No ORDER BY in SQL: it would tempt the planner to walk the (release, indicator, year)
    # index over the whole release instead of the area code index (1.4 s against 5 ms).
    return PublishedValue.objects.filter(release=release, sbi_section="").order_by()


def indicator_years(release: Release) -> dict[str, list[int]]:
    """The years each indicator has in the release, oldest first."""

    def read():
        years: dict[str, list[int]] = {}
        # Sorted here, not in SQL: an ORDER BY would steer the planner onto the indicator index.
        rows = (
            PublishedValue.objects.filter(release=release, area_code=NEDERLAND_CODE, sbi_section="")
            .order_by().values_list("indicator", "year")
        )
        for indicator, year in sorted(set(rows)):
            years.setdefault(indicator, []).append(year)
        return years

    return per_release(release, "indicator-years", read)


def area_cells(release: Release, code: str) -> list[Cell]:
    """Every published value of one area: each indicator, each year."""
    return per_release(release, f"area:{code}", lambda: _cells(_values(release).filter(area_code=code)))


def cells_of_areas(release: Release, codes: list[str], *, indicators: list[str] | None = None) -> list[Cell]:
    """The values of a few areas (a comparison, an area's references), every year."""

    def read():
        values = _values(release).filter(area_code__in=codes)
        if indicators is not None:
            values = values.filter(indicator__in=indicators)
        return _cells(values)

    key = f"areas:{','.join(sorted(codes))}:{','.join(sorted(indicators or ['*']))}"
    return per_release(release, key, read)


def _in_scope(level: str, scope: str, *, field: str = "code") -> Q:
    """Areas of ``level`` inside the area ``scope`` (Nederland, a provincie, gemeente or wijk).
    Below the gemeente a code holds its gemeente's (and wijk's) digits, so a prefix suffices."""
    prefix = LEVEL_PREFIX[level]
    if scope == NEDERLAND_CODE:
        return Q(**{f"{field}__startswith": prefix})
    if scope.startswith(("GM", "WK")):
        return Q(**{f"{field}__startswith": prefix + scope[2:]})
    # Gemeenten of a provincie: by the parent in the area table, read first as a list. As a
    # subquery PostgreSQL may plan a semi-join that looks each value's code up in the area table
    # without a usable index (seconds per query when its statistics are stale).
    gemeenten = list(Area.objects.filter(level=Level.GEMEENTE, parent__code=scope).values_list("code", flat=True))
    return Q(**{f"{field}__in": gemeenten})


def level_cells(release: Release, *, indicator: str, level: str, scope: str, year: int | None = None) -> list[Cell]:
    """One indicator for every area of ``level`` inside ``scope`` (all years unless ``year``)."""

    def read():
        values = _values(release).filter(_in_scope(level, scope, field="area_code"), indicator=indicator)
        if year is not None:
            values = values.filter(year=year)
        return _cells(values)

    return per_release(release, f"level:{indicator}:{level}:{scope}:{year}", read)


def theme_cells(release: Release, *, indicators: list[str], level: str, year_of: dict[str, int]) -> list[Cell]:
    """Several indicators, each in its own (latest) year, for every area of a level nationwide."""

    def read():
        condition = Q()
        for slug in indicators:
            if slug in year_of:
                condition |= Q(indicator=slug, year=year_of[slug])
        if not condition:
            return []
        return _cells(_values(release).filter(condition, area_code__startswith=LEVEL_PREFIX[level]))

    key = f"theme:{level}:{','.join(f'{s}@{year_of.get(s)}' for s in sorted(indicators))}"
    return per_release(release, key, read)


def area_names(*, vintage: int, level: str, scope: str) -> dict[str, str]:
    """{code: name} of the areas of a level inside a scope."""
    rows = Area.objects.filter(_in_scope(level, scope), vintage=vintage, level=level).values_list("code", "name")
    return dict(rows)


def names_of(*, vintage: int, codes: list[str]) -> dict[str, str]:
    return dict(Area.objects.filter(vintage=vintage, code__in=codes).values_list("code", "name"))


def zoekgebieden_within(release: Release, scope: str, *, levels: tuple[str, ...]) -> list[dict]:
    """The kansrijke zoekgebieden of the given levels inside (or equal to) an area."""

    def read():
        condition = Q(area_code=scope)
        for level in levels:
            condition |= _in_scope(level, scope, field="area_code")
        rows = (
            Zoekgebied.objects.filter(condition, release=release, level__in=levels)
            .order_by("theme", "-year", "-n_signals", "area_code")
            .values("theme", "area_code", "level", "year", "signals", "n_signals")
        )
        return list(rows)

    return per_release(release, f"zoekgebieden:{scope}:{','.join(levels)}", read)


def theme_zoekgebieden(release: Release, *, theme: str, level: str) -> list[dict]:
    def read():
        rows = (
            Zoekgebied.objects.filter(release=release, theme=theme, level=level)
            .order_by("-year", "-n_signals", "area_code")
            .values("area_code", "year", "signals", "n_signals")
        )
        return list(rows)

    return per_release(release, f"theme-zoekgebieden:{theme}:{level}", read)


def opportunity(release: Release, code: str) -> dict | None:
    """The latest gelegenheidsstructuur of an area."""

    def read():
        return (
            OpportunityProfile.objects.filter(release=release, area_code=code)
            .order_by("-year")
            .values("year", "composite", "n_components", "components")
            .first()
        )

    return per_release(release, f"opportunity:{code}", read)
