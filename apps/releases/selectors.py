"""The one reader of published figures: every public and workspace read of a release goes here.

Pages (``apps.dashboards.selectors`` passes these on), the open data API, the maps' and data
layers' values files, downloads (they write a page's table), saved comparisons, the workspace
feed, the diffs between releases and the disclosure audit all read a release through this module;
no other module queries ``PublishedValue`` (``tests/releases/test_one_reader.py``), so how a
release is stored is known here and in the builder that writes it (``services``) only.

A release holds one row per indicator × area × year × SBI section; a withheld cell has no value,
only its status code, and Nederland or a provincie may be ``derived`` (the sum of its gemeenten)
where the source has no figure of its own. Figures exist at *every* level: an indicator need not
have Nederland (the police publish gemeenten and buurten), so years are read over all levels.

Reads for the pages cost at most one query per call and a fixed number per page, whatever the
number of areas or indicators; results are plain values (picklable) kept under the release's
number (``apps.releases.cache``), so a warm page reads no table at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Q

from apps.core.area_codes import LEVEL_PREFIX
from apps.core.bulk import read_frame
from apps.geography.levels import NEDERLAND_CODE, Level, descendant_prefixes
from apps.geography.models import Area

from .cache import per_release
from .models import PublishedValue, Release

# ---------------------------------------------------------------- releases


def current_release() -> Release | None:
    return Release.objects.filter(is_current=True).first()


def release_list():
    return Release.objects.order_by("-number")


def published_release(number: int) -> Release | None:
    """A release the public may read: published at some time (the current one or an earlier
    one kept for reference); never one still waiting for a steward."""
    return Release.objects.filter(number=number, status=Release.Status.PUBLISHED).first()


# ---------------------------------------------------------------- cells, as the pages use them

CELL_FIELDS = (
    "indicator", "area_code", "year", "value", "status", "index_nl", "index_provincie",
    "index_peer", "peer_group", "sig_nl", "sig_provincie", "sig_peer", "percentile",
    "percentile_gemeente", "change", "change_pct", "series_break", "knn_codes", "derived",
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
    # Not the source's figure but the sum of the gemeenten (Nederland, a provincie). A default, so
    # a cell cached before the field existed reads as the source's own.
    derived: bool = False

    @property
    def published(self) -> bool:
        return self.value is not None and self.status == "V"


def _cells(queryset) -> list[Cell]:
    cells = [Cell(*row) for row in queryset.values_list(*CELL_FIELDS)]
    cells.sort(key=lambda cell: (cell.indicator, cell.year, cell.area_code))
    return cells


def _values(release: Release):
    # No ORDER BY in SQL: it would tempt the planner to walk the (release, indicator, year)
    # index over the whole release instead of the area code index (1.4 s against 5 ms).
    return PublishedValue.objects.filter(release=release, sbi_section="").order_by()


def in_scope(level: str, scope: str, *, field: str = "code") -> Q:
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


def indicator_years(release: Release, *, level: str | None = None) -> dict[str, list[int]]:
    """The years each indicator has cells in, oldest first: at every level, or at ``level``
    only. Never from the Nederland row alone: not every source publishes one (the police)."""

    def read():
        values = PublishedValue.objects.filter(release=release).order_by()
        if level is not None:
            # A range, not startswith: SQLite's LIKE ignores the (release, area_code) index, and a
            # range reads only that level's rows on either database (0.1 s against 1 s nationally).
            prefix = LEVEL_PREFIX[level]
            values = values.filter(area_code__gte=prefix, area_code__lt=prefix[0] + chr(ord(prefix[1]) + 1),
                                   sbi_section="")
        # Over every level, every section counts too (a section's cell has its all-branche cell in
        # the same year): the (release, indicator, year) index then answers without the table.
        # Sorted here, not in SQL: an ORDER BY would steer the planner onto the indicator index.
        rows = values.values_list("indicator", "year").distinct()
        years: dict[str, list[int]] = {}
        for indicator, year in sorted(set(rows)):
            years.setdefault(indicator, []).append(year)
        return years

    return per_release(release, f"indicator-years:{level or 'all'}", read)


def years_at(release: Release, indicator: str, *, level: str, scope: str) -> list[int]:
    """The years one indicator has cells in for the areas of ``level`` inside ``scope``, oldest
    first: what an indicator page can show, and the latest of which it shows by default."""

    def read():
        rows = _values(release).filter(in_scope(level, scope, field="area_code"), indicator=indicator)
        return sorted(set(rows.values_list("year", flat=True).distinct()))

    return per_release(release, f"years:{indicator}:{level}:{scope}", read)


def section_values(release: Release, *, indicator: str, code: str, year: int) -> list[tuple]:
    """``(section, value, status)`` of one area per SBI section (branche indicators)."""

    def read():
        rows = (
            PublishedValue.objects.filter(release=release, indicator=indicator, area_code=code, year=year)
            .exclude(sbi_section="").order_by().values_list("sbi_section", "value", "status")
        )
        return sorted(rows)

    return per_release(release, f"sections:{indicator}:{code}:{year}", read)


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


def level_cells(release: Release, *, indicator: str, level: str, scope: str, year: int | None = None) -> list[Cell]:
    """One indicator for every area of ``level`` inside ``scope`` (all years unless ``year``)."""

    def read():
        values = _values(release).filter(in_scope(level, scope, field="area_code"), indicator=indicator)
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


# ---------------------------------------------------------------- values files (maps, data layers)


def map_values(*, release: Release, indicator: str, level: str, year: int, within: str = "") -> dict:
    """``{area code: [value, status, percentile, significance against Nederland]}`` of one
    indicator, level and year (all branches), optionally only the areas inside ``within`` (a
    gemeente or provincie code): the small file a map joins to its boundaries by code.
    Suppressed cells have no value, only their status code."""
    values = PublishedValue.objects.filter(
        release=release, indicator=indicator, year=year, sbi_section="", area_code__startswith=LEVEL_PREFIX[level]
    )
    if within:
        areas = Area.objects.filter(level=level).filter(
            Q(parent__code=within) | Q(parent__parent__code=within) | Q(parent__parent__parent__code=within)
        )
        # A list, not a subquery: see in_scope (PostgreSQL's plan).
        values = values.filter(area_code__in=list(areas.values_list("code", flat=True)))
    rows = values.values_list("area_code", "value", "status", "percentile", "sig_nl").order_by("area_code")
    return {
        code: [None if value is None else round(value, 4), status,
               None if percentile is None else round(percentile, 1), sig]
        for code, value, status, percentile, sig in rows
    }


def published_counts(*, release: Release, year: int, indicators: list[str], code_prefix: str) -> dict[str, int]:
    """Per indicator, how many areas whose code starts with ``code_prefix`` have a published
    (not withheld) value in ``year`` (all branches)."""
    return dict(
        PublishedValue.objects.filter(release=release, year=year, sbi_section="", indicator__in=indicators,
                                      area_code__startswith=code_prefix, value__isnull=False)
        .order_by().values("indicator").annotate(published=Count("pk")).values_list("indicator", "published")
    )


# ---------------------------------------------------------------- the open data API

VALUE_FIELDS = (
    "indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "index_nl",
    "index_provincie", "index_peer", "peer_group", "index_knn", "knn_codes", "percentile",
    "percentile_gemeente", "sig_nl", "sig_provincie", "sig_peer", "change", "change_pct", "series_break",
    "derived",
)


def value_selection(release: Release, *, indicators: list[str], level: str = "", codes: list[str] | None = None,
                    within_codes: list[str] | None = None, years: list[int] | None = None,
                    sections: list[str] | None = None):
    """The published values of a selection as rows of VALUE_FIELDS, ordered by indicator, year,
    area and section. Lazy: ``count()``, slicing and iteration each cost one query, so a page of
    a large selection reads only its rows. ``within_codes``: the areas of a scope (a list read
    first, not a subquery: see in_scope)."""
    values = PublishedValue.objects.filter(release=release, indicator__in=indicators,
                                           sbi_section__in=sections or [""])
    if level:
        values = values.filter(area_code__startswith=LEVEL_PREFIX[level])
    if codes:
        values = values.filter(area_code__in=codes)
    if within_codes is not None:
        values = values.filter(area_code__in=within_codes)
    if years:
        values = values.filter(year__in=years)
    return values.order_by("indicator", "year", "area_code", "sbi_section").values_list(*VALUE_FIELDS)


# ---------------------------------------------------------------- snapshots and diffs

DIFF_COLUMNS = ("indicator", "area_code", "year", "sbi_section", "value", "status")


def snapshot(release: Release, *, area_codes: list[str], indicators: list[str], years: list[int]) -> dict:
    """The values (all branches) of a selection in one release, by "indicator|area|year": what a
    saved comparison keeps, to say later what a newer release changed."""
    rows = PublishedValue.objects.filter(
        release=release, area_code__in=area_codes, indicator__in=indicators, year__in=years, sbi_section=""
    ).values_list("indicator", "area_code", "year", "value", "status")
    return {
        f"{indicator}|{area}|{year}": [None if value is None else round(value, 4), status]
        for indicator, area, year, value, status in rows
    }


def indicators_in(release_ids: list[int]) -> list[str]:
    """Every indicator with a cell in any of these releases."""
    rows = PublishedValue.objects.filter(release_id__in=release_ids).order_by().values_list("indicator", flat=True)
    return sorted(set(rows.distinct()))


def frame(release_id: int | None, *, indicators: list[str] | None = None, within_gemeente: str = "",
          columns: tuple[str, ...] = DIFF_COLUMNS) -> pd.DataFrame:
    """The cells of a release as a frame (every section): of some indicators, or of one gemeente
    with its wijken and buurten. An empty frame for no release (nothing to compare against)."""
    if release_id is None:
        return pd.DataFrame(columns=list(columns))
    values = PublishedValue.objects.filter(release_id=release_id)
    if indicators is not None:
        values = values.filter(indicator__in=indicators)
    if within_gemeente:
        condition = Q(area_code=within_gemeente)
        for prefix in descendant_prefixes(within_gemeente):
            condition |= Q(area_code__startswith=prefix)
        values = values.filter(condition)
    result = read_frame(values.order_by(), list(columns))
    if "value" in result.columns:
        result["value"] = pd.to_numeric(result["value"], errors="coerce").astype(float)
    return result


def values_in_withheld_cells(release: Release) -> int:
    """Cells whose status withholds them but which carry a value anyway: must be none."""
    return PublishedValue.objects.filter(release=release, value__isnull=False).exclude(status="V").count()
