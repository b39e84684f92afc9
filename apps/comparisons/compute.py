"""Comparisons on every indicator cell of a release (BRIEF §6 "Comparisons on every indicator").

``compare`` takes the published cells of one release and returns, per cell, the index against
Nederland, against its provincie, against a peer group (same urbanity and size class) and
against its nearest neighbours on standardised context figures, its percentile rank, a
significance mark from an exact interval, and the change on the year before.

Why it is built this way:

- Only published numbers are used. A cell counts as published when its status is 'V' and it
  has a value; the value, numerator and denominator of any other cell are ignored, so no
  comparator, rank or mark can carry a suppressed number (BRIEF §5 rule 1) even if a caller
  passes one by mistake. A suppressed cell still gets its comparators (they are built from
  other, published cells) but no index, rank, mark or change.
- A count of a buurt against a national count means nothing, so counts get no index (the
  comparator values themselves are still given).
- Peer and neighbour comparators leave the cell itself out, so an area is never compared with
  itself. Shares and rates are pooled (sum of numerators over sum of denominators), which weighs
  areas by size as the national figure does; when a member lacks its numerator or denominator
  (figures published as percentages only, e.g. CBS), the group falls back to the median of the
  values. Fewer than three other members with a value give no comparator: a "group" of one or
  two says too little and would nearly reveal its members.
- Context (urbanity, inhabitants, neighbour features) is looked up per (area_code, vintage,
  year). When the context has no row for the cell's year, the nearest year of the same
  (area_code, vintage) is used (ties go to the earlier year): context figures are published
  later than the extracts, and urbanity and size classes change slowly.
- The change on the year before joins only like areas: the same area code on the same vintage
  (indeling), or on an earlier vintage when ``continuity`` says the area did not change between
  them. Otherwise the change stays empty and ``series_break`` tells the page to say
  "indeling gewijzigd" instead of subtracting unlike areas.

Everything is vectorised over the whole frame; only the kd-tree queries and the neighbour
gathers loop, once per (level, vintage, year) and once per table. Pure module, no Django.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from scipy.spatial import cKDTree

from apps.comparisons.stats import exact_interval, marks_from_interval

LOCAL_LEVELS = ("gemeente", "wijk", "buurt")
PERCENTILE_WITHIN_GEMEENTE = ("wijk", "buurt")
PUBLISHED = "V"
POOLED_KINDS = ("share", "rate")
MIN_OTHERS = 3

# Size classes by inhabitants: [lower bound, upper bound) with their labels.
GEMEENTE_SIZE_EDGES = (10_000, 20_000, 50_000, 100_000)
GEMEENTE_SIZE_LABELS = ("<10k", "10k-20k", "20k-50k", "50k-100k", ">=100k")
LOCAL_SIZE_EDGES = (1_000, 2_500, 5_000, 10_000)
LOCAL_SIZE_LABELS = ("<1k", "1k-2.5k", "2.5k-5k", "5k-10k", ">=10k")

CELL_COLUMNS = (
    "indicator",
    "kind",
    "direction",
    "scale",
    "area_code",
    "level",
    "provincie_code",
    "gemeente_code",
    "vintage",
    "year",
    "sbi_section",
    "value",
    "status",
    "numerator",
    "denominator",
)
OUTPUT_COLUMNS = (
    "nl_value",
    "index_nl",
    "provincie_value",
    "index_provincie",
    "peer_group",
    "peer_value",
    "index_peer",
    "knn_codes",
    "knn_value",
    "index_knn",
    "percentile",
    "percentile_gemeente",
    "sig_nl",
    "sig_provincie",
    "sig_peer",
    "change",
    "change_pct",
    "series_break",
)


def compare(
    cells: pd.DataFrame,
    context: pd.DataFrame | None = None,
    knn_features: Sequence[str] = (),
    k: int = 10,
    continuity: pd.DataFrame | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """All comparisons of every cell, as a frame indexed like ``cells`` (columns OUTPUT_COLUMNS).

    ``cells``: one row per published cell of one release (columns CELL_COLUMNS), at most one
    per (indicator, vintage, year, sbi_section, area_code). ``context``: area_code, vintage,
    year, stedelijkheid, inwoners and the ``knn_features`` columns; without it there are no
    peer or neighbour comparators. ``continuity``: area_code, vintage, previous_vintage for
    areas unchanged between two indelingen. ``alpha``: of the exact intervals behind the marks.
    """
    missing = [column for column in CELL_COLUMNS if column not in cells.columns]
    if missing:
        raise ValueError(f"cells lack the columns {', '.join(missing)}")
    out = pd.DataFrame(index=cells.index)
    if cells.empty:
        return out.assign(**{column: pd.Series(dtype=object) for column in OUTPUT_COLUMNS})
    c = _Cells(cells)

    nl_value, provincie_value = _national_and_provincial(c)
    out["nl_value"] = nl_value
    out["index_nl"] = _index(c, nl_value)
    out["provincie_value"] = provincie_value
    out["index_provincie"] = _index(c, provincie_value)

    areas = _Areas(c, context, knn_features)
    peer_group = areas.peer_label[c.area_year]
    peer_value = _peer_comparator(c, areas)
    out["peer_group"] = peer_group
    out["peer_value"] = peer_value
    out["index_peer"] = _index(c, peer_value)

    neighbours = _nearest_neighbours(areas, k)
    knn_value = _neighbour_comparator(c, neighbours)
    out["knn_codes"] = _neighbour_codes(areas, neighbours)[c.area_year]
    out["knn_value"] = knn_value
    out["index_knn"] = _index(c, knn_value)

    out["percentile"] = _percentile(c, c.published, c.table, c.level_code)
    within = c.published & c.at(*PERCENTILE_WITHIN_GEMEENTE)
    out["percentile_gemeente"] = _percentile(c, within, c.table, c.level_code, c.gemeente)

    lower, upper = exact_interval(c.kind, c.numerator, c.denominator, c.scale, alpha)

    def mark(comparator: np.ndarray) -> np.ndarray:
        return marks_from_interval(lower, upper, comparator)

    out["sig_nl"] = np.where(c.at("land"), "", mark(nl_value))
    out["sig_provincie"] = mark(provincie_value)
    out["sig_peer"] = mark(peer_value)

    change, change_pct, series_break = _change(c, continuity)
    out["change"] = change
    out["change_pct"] = change_pct
    out["series_break"] = series_break
    return out


class _Cells:
    """The cells as plain arrays, with everything unpublished blanked out once, here."""

    def __init__(self, cells: pd.DataFrame):
        self.n = len(cells)
        status = cells["status"].to_numpy(dtype=object)
        value = cells["value"].to_numpy(dtype=float, na_value=np.nan)
        self.published = (status == PUBLISHED) & np.isfinite(value)
        self.value = np.where(self.published, value, np.nan)
        for name in ("numerator", "denominator"):
            raw = cells[name].to_numpy(dtype=float, na_value=np.nan)
            setattr(self, name, np.where(self.published, raw, np.nan))
        scale = cells["scale"].to_numpy(dtype=float, na_value=np.nan)
        self.scale = scale
        self.factor = np.where(np.isfinite(scale), scale, 1.0)
        self.kind = cells["kind"].to_numpy(dtype=object)
        self.pooled_kind = np.isin(self.kind, POOLED_KINDS)
        self.level = cells["level"].to_numpy(dtype=object)
        self.area_code = cells["area_code"].to_numpy(dtype=object)
        self.indicator = cells["indicator"].to_numpy(dtype=object)
        self.section = cells["sbi_section"].to_numpy(dtype=object)
        self.vintage = cells["vintage"].to_numpy(dtype=np.int64)
        self.year = cells["year"].to_numpy(dtype=np.int64)
        # Strings are hashed once each; groups are then built from the integer codes.
        self.level_code, self.level_names = pd.factorize(self.level)
        area = _codes(self.area_code)
        provincie_code = cells["provincie_code"].to_numpy(dtype=object)
        self.provincie = _codes(np.where(self.at("provincie"), self.area_code, provincie_code))
        self.gemeente = _codes(cells["gemeente_code"].to_numpy(dtype=object))
        indicator, section = _codes(self.indicator), _codes(self.section)
        self.table = _codes(indicator, self.vintage, self.year, section)
        self.series = _codes(indicator, section, area)
        self.area_year = _codes(area, self.vintage, self.year)
        self.local = self.at(*LOCAL_LEVELS)

    def at(self, *levels: str) -> np.ndarray:
        """Which cells are of one of these levels."""
        return np.isin(self.level_code, np.flatnonzero(np.isin(self.level_names, levels)))


def _codes(*columns: np.ndarray) -> np.ndarray:
    """Dense group numbers 0..g-1 for the combinations of the columns (NaN is a value too)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        if key.max(initial=0) >= 2**62 // (len(uniques) + 1):
            key = pd.factorize(key)[0]  # renumber densely before the key could overflow
        key = key * (len(uniques) + 1) + codes
    return pd.factorize(key)[0]


class _KeyIndex:
    """Where int64 keys sit, found by binary search in a sorted copy.

    On millions of rows this needs a fraction of the memory of a hash index (pd.Index); among
    equal keys the last row wins.
    """

    def __init__(self, keys: np.ndarray):
        self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]

    def first_duplicate(self) -> int | None:
        """The row of some key that occurs more than once, or None."""
        repeated = np.flatnonzero(self.sorted[1:] == self.sorted[:-1])
        return int(self.order[repeated[0]]) if len(repeated) else None

    def find(self, queries: np.ndarray) -> np.ndarray:
        """The row of each query key; -1 where absent."""
        if not len(self.sorted):
            return np.full(len(queries), -1)
        at = np.searchsorted(self.sorted, queries, side="right") - 1
        found = (at >= 0) & (self.sorted[np.maximum(at, 0)] == queries)
        return np.where(found, self.order[np.maximum(at, 0)], -1)


def _lookup(source_keys: np.ndarray, source_values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """The value of each key in (source_keys → source_values); NaN where absent."""
    position = _KeyIndex(source_keys).find(keys)
    values = np.append(np.asarray(source_values, dtype=float), np.nan)
    return values[position]  # -1 picks the NaN at the end


def _index(c: _Cells, comparator: np.ndarray) -> np.ndarray:
    """value / comparator × 100; NaN for counts, a missing value, or a comparator of 0 or NaN."""
    usable = (c.kind != "count") & np.isfinite(comparator) & (comparator != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(usable, c.value / np.where(usable, comparator, 1.0) * 100, np.nan)


def _national_and_provincial(c: _Cells) -> tuple[np.ndarray, np.ndarray]:
    """The published value of Nederland and of the cell's provincie in the same table."""
    land = c.at("land")
    nl_value = _lookup(c.table[land], c.value[land], c.table)
    key = _codes(c.table, c.provincie)
    is_provincie = c.at("provincie")
    provincie_value = _lookup(key[is_provincie], c.value[is_provincie], key)
    return nl_value, np.where(c.local, provincie_value, np.nan)


class _Areas:
    """One row per (area_code, vintage, year) of the cells, with its context and peer label."""

    def __init__(self, c: _Cells, context: pd.DataFrame | None, knn_features: Sequence[str]):
        first = np.unique(c.area_year, return_index=True)[1]  # area_year codes run 0..n-1
        self.n = len(first)
        self.code = c.area_code[first]
        self.level = c.level[first]
        self.vintage = c.vintage[first]
        self.year = c.year[first]
        self.features = list(knn_features)
        self.peer_label = np.full(self.n, "", dtype=object)
        self.feature_values = np.full((self.n, len(self.features)), np.nan)
        if context is None:
            return
        aligned = _nearest_year_context(
            pd.DataFrame({"area_code": self.code, "vintage": self.vintage, "year": self.year}),
            context,
            list(dict.fromkeys(["stedelijkheid", "inwoners", *self.features])),
        )
        self.peer_label = _peer_labels(
            self.level,
            aligned["stedelijkheid"].to_numpy(dtype=float),
            aligned["inwoners"].to_numpy(dtype=float),
        )
        if self.features:
            self.feature_values = aligned[self.features].to_numpy(dtype=float)


def _nearest_year_context(areas: pd.DataFrame, context: pd.DataFrame, columns: list[str]):
    """Context columns per row of ``areas``, from the same or else the nearest year."""
    missing = [col for col in ("area_code", "vintage", "year", *columns) if col not in context]
    if missing:
        raise ValueError(f"context lacks the columns {', '.join(missing)}")
    right = context[["area_code", "vintage", "year", *columns]].copy()
    right["area_code"] = right["area_code"].astype(object)
    right["vintage"] = right["vintage"].astype(np.int64)
    right["year"] = right["year"].astype(np.int64)
    right = right.drop_duplicates(["area_code", "vintage", "year"], keep="last")
    left = areas.assign(_row=np.arange(len(areas))).sort_values("year", kind="stable")
    merged = pd.merge_asof(
        left,
        right.sort_values("year", kind="stable"),
        on="year",
        by=["area_code", "vintage"],
        direction="nearest",
    )
    return merged.sort_values("_row").reset_index(drop=True)[columns]


def _peer_labels(level: np.ndarray, urbanity: np.ndarray, inhabitants: np.ndarray) -> np.ndarray:
    """The peer label "<level>|<urbanity 1..5>|<size class>"; '' without (usable) context."""
    urbanity_class = np.floor(urbanity + 0.5)  # half up: 2.5 is class 3 (np.round would say 2)
    gemeente = level == "gemeente"
    size_class = np.where(
        gemeente,
        np.digitize(np.nan_to_num(inhabitants), GEMEENTE_SIZE_EDGES),
        np.digitize(np.nan_to_num(inhabitants), LOCAL_SIZE_EDGES),
    )
    usable = (
        np.isin(level, LOCAL_LEVELS)
        & np.isfinite(urbanity_class)
        & (urbanity_class >= 1)
        & (urbanity_class <= 5)
        & np.isfinite(inhabitants)
        & (inhabitants >= 0)
    )
    size_label = np.where(
        gemeente,
        np.asarray(GEMEENTE_SIZE_LABELS, dtype=object)[size_class],
        np.asarray(LOCAL_SIZE_LABELS, dtype=object)[size_class],
    )
    urbanity_label = np.where(usable, urbanity_class, 0).astype(int).astype(str).astype(object)
    labels = level.astype(object) + "|" + urbanity_label + "|" + size_label
    labels = np.where(usable, labels, "")
    # One str object per distinct label, so three million cells share a handful of strings.
    codes, uniques = pd.factorize(labels)
    return np.asarray(uniques, dtype=object)[codes]


def _peer_comparator(c: _Cells, areas: _Areas) -> np.ndarray:
    """The peer group's comparator in the cell's table, leaving the cell itself out."""
    codes, names = pd.factorize(areas.peer_label)
    label = np.where(np.asarray(names, dtype=object)[codes] == "", -1, codes)[c.area_year]
    group = np.where(label >= 0, _codes(c.table, label), -1)
    return _leave_one_out(group, c)


def _leave_one_out(group: np.ndarray, c: _Cells) -> np.ndarray:
    """Per row, the comparator of its group (-1: none) over the other published members.

    Pooled for shares and rates when every published member has a numerator and a positive
    denominator, else the median of the other members' values; NaN with fewer than MIN_OTHERS
    other members with a value.
    """
    out = np.full(c.n, np.nan)
    in_group = group >= 0
    if not in_group.any():
        return out
    n_groups = int(group.max()) + 1
    g = np.where(in_group, group, 0)
    member = in_group & c.published
    with_counts = member & np.isfinite(c.numerator) & np.isfinite(c.denominator)
    with_counts &= np.where(with_counts, c.denominator, 0) > 0
    size = np.bincount(group[member], minlength=n_groups)
    size_with_counts = np.bincount(group[with_counts], minlength=n_groups)
    others = size[g] - member
    enough = in_group & (others >= MIN_OTHERS)

    pooled = enough & c.pooled_kind & (size_with_counts == size)[g]
    if pooled.any():
        numerators = np.bincount(
            group[with_counts], weights=c.numerator[with_counts], minlength=n_groups
        )
        denominators = np.bincount(
            group[with_counts], weights=c.denominator[with_counts], minlength=n_groups
        )
        own_numerator = np.where(with_counts, c.numerator, 0.0)
        own_denominator = np.where(with_counts, c.denominator, 0.0)
        rest_numerator = numerators[g] - own_numerator
        rest_denominator = denominators[g] - own_denominator
        pooled &= rest_denominator > 0
        out[pooled] = rest_numerator[pooled] / rest_denominator[pooled] * c.factor[pooled]

    median = enough & ~(c.pooled_kind & (size_with_counts == size)[g])
    if median.any():
        members = np.flatnonzero(member)
        order = members[np.lexsort((c.value[members], group[members]))]
        sorted_values = c.value[order]
        start = np.concatenate(([0], np.cumsum(size)[:-1]))
        rank = np.full(c.n, np.iinfo(np.int64).max)
        rank[order] = np.arange(len(order)) - start[group[order]]
        rows = np.flatnonzero(median)
        m = others[rows]
        r = rank[rows]
        s = start[g[rows]]
        low, high = (m - 1) // 2, m // 2
        # Position p among the others is p in the sorted group, or p + 1 at or after the cell.
        out[rows] = (
            sorted_values[s + low + (low >= r)] + sorted_values[s + high + (high >= r)]
        ) / 2
    return out


def _nearest_neighbours(areas: _Areas, k: int) -> np.ndarray:
    """Per area row, the rows of its k nearest neighbours (-1 where fewer), nearest first.

    Neighbours are areas of the same level, vintage and year; each feature is z-scored over
    those areas (a feature without spread is left out: it cannot tell areas apart). Areas with
    a missing feature are neither neighbours nor get any.
    """
    neighbours = np.full((areas.n, max(k, 0)), -1, dtype=np.int64)
    if not areas.features or k < 1:
        return neighbours
    local = np.flatnonzero(np.isin(areas.level, LOCAL_LEVELS))
    group = _codes(areas.level[local], areas.vintage[local], areas.year[local])
    for rows in pd.Series(local).groupby(group).indices.values():
        rows = local[rows]
        x = areas.feature_values[rows]
        complete = np.isfinite(x).all(axis=1)
        rows, x = rows[complete], x[complete]
        if len(rows) < 2:
            continue
        # A feature (nearly) the same for every area says nothing about likeness: it gets no
        # weight below, so scipy's warning about it is noise here.
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            z = scipy_stats.zscore(x, axis=0)
        z[:, ~np.isfinite(z).all(axis=0)] = 0.0
        n_query = min(k + 1, len(rows))
        _, found = cKDTree(z).query(z, k=list(range(1, n_query + 1)))
        is_self = found == np.arange(len(rows))[:, None]
        is_self[~is_self.any(axis=1), -1] = True  # many ties at distance 0: drop the farthest
        found = found[~is_self].reshape(len(rows), n_query - 1)
        neighbours[rows, : n_query - 1] = rows[found]
    return neighbours


def _neighbour_codes(areas: _Areas, neighbours: np.ndarray) -> np.ndarray:
    """The neighbours' area codes joined with ',' per area row ('' without neighbours)."""
    codes = np.append(areas.code, "").astype(object)
    joined = [",".join(code for code in row if code) for row in codes[neighbours]]
    return np.asarray(joined, dtype=object)


def _neighbour_comparator(c: _Cells, neighbours: np.ndarray) -> np.ndarray:
    """The comparator of the cell's neighbours in the same table (pooled or median, as peers)."""
    out = np.full(c.n, np.nan)
    if neighbours.shape[1] == 0:
        return out
    has_neighbours = c.local & (neighbours[c.area_year, 0] >= 0)
    # Dense per-area slots, reused table after table; the extra last slot answers the -1 of
    # "no neighbour" with NaN.
    value = np.full(len(neighbours) + 1, np.nan)
    numerator = value.copy()
    denominator = value.copy()
    order = np.argsort(c.table, kind="stable")
    for block in np.split(order, np.flatnonzero(np.diff(c.table[order])) + 1):
        query = block[has_neighbours[block]]
        if not len(query):
            continue
        members = block[c.published[block] & c.local[block]]
        slots = c.area_year[members]
        value[slots] = c.value[members]
        numerator[slots] = c.numerator[members]
        denominator[slots] = c.denominator[members]
        nb = neighbours[c.area_year[query]]
        first = query[0]
        out[query] = _comparator_of_sets(
            value[nb], numerator[nb], denominator[nb], c.pooled_kind[first], c.factor[first]
        )
        value[slots] = numerator[slots] = denominator[slots] = np.nan
    return out


def _comparator_of_sets(
    values: np.ndarray, numerators: np.ndarray, denominators: np.ndarray, pooled_kind, factor
) -> np.ndarray:
    """Row-wise comparator of a matrix of member values (NaN = no published value)."""
    has_value = np.isfinite(values)
    count = has_value.sum(axis=1)
    with_counts = has_value & np.isfinite(numerators) & np.isfinite(denominators)
    with_counts &= np.where(with_counts, denominators, 0) > 0
    out = np.full(len(values), np.nan)
    pooled = np.zeros(len(values), dtype=bool)
    if pooled_kind:
        pooled = with_counts.sum(axis=1) == count
        total_denominator = np.where(with_counts, denominators, 0).sum(axis=1)
        pooled &= total_denominator > 0
        total_numerator = np.where(with_counts, numerators, 0).sum(axis=1)
        out[pooled] = total_numerator[pooled] / total_denominator[pooled] * factor
    median = ~pooled & (count > 0)
    if median.any():
        ordered = np.sort(values[median], axis=1)  # NaN sorts last
        m = count[median]
        low = np.take_along_axis(ordered, ((m - 1) // 2)[:, None], axis=1)[:, 0]
        high = np.take_along_axis(ordered, (m // 2)[:, None], axis=1)[:, 0]
        out[median] = (low + high) / 2
    out[count < MIN_OTHERS] = np.nan
    return out


def _percentile(c: _Cells, rows: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Share of the group's published values at or below the cell's own, × 100 (ties: max).

    Only the published ``rows`` are ranked, among themselves, in groups of equal ``keys``.
    """
    out = np.full(c.n, np.nan)
    rows = np.flatnonzero(rows)
    group = _codes(*(key[rows] for key in keys))
    ranks = pd.Series(c.value[rows]).groupby(group).rank(method="max", pct=True)
    out[rows] = ranks.to_numpy(dtype=float) * 100
    return out


def _change(c: _Cells, continuity: pd.DataFrame | None):
    """value − value of year − 1 on the same (or a continuous earlier) vintage; series breaks."""
    index = _KeyIndex((c.series * 10_000 + c.vintage) * 10_000 + c.year)
    duplicate = index.first_duplicate()
    if duplicate is not None:
        raise ValueError(
            "cells hold more than one row for "
            f"({c.indicator[duplicate]}, {c.vintage[duplicate]}, {c.year[duplicate]}, "
            f"{c.section[duplicate]!r}, {c.area_code[duplicate]})"
        )
    previous = index.find((c.series * 10_000 + c.vintage) * 10_000 + c.year - 1)
    unmatched = np.flatnonzero(previous < 0)
    if continuity is not None and len(unmatched):
        bridges = pd.DataFrame(
            {
                "_row": unmatched,
                "area_code": c.area_code[unmatched],
                "vintage": c.vintage[unmatched],
            }
        ).merge(
            continuity[["area_code", "vintage", "previous_vintage"]].astype(
                {"area_code": object, "vintage": np.int64, "previous_vintage": np.int64}
            ),
            on=["area_code", "vintage"],
        )
        rows = bridges["_row"].to_numpy()
        bridged = index.find(
            (c.series[rows] * 10_000 + bridges["previous_vintage"].to_numpy()) * 10_000
            + c.year[rows]
            - 1
        )
        # Several listed earlier vintages: the first listed that has the cell wins.
        hit = bridged >= 0
        first = np.zeros(len(rows), dtype=bool)
        first[hit] = ~pd.Series(rows[hit]).duplicated(keep="first").to_numpy()
        previous[rows[first]] = bridged[first]
    del index
    before = np.where(previous >= 0, c.value[np.maximum(previous, 0)], np.nan)
    change = c.value - before
    usable = np.isfinite(before) & (before != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(usable, change / np.abs(np.where(usable, before, 1.0)) * 100, np.nan)
    elsewhere = _KeyIndex(c.series * 10_000 + c.year).find(c.series * 10_000 + c.year - 1) >= 0
    series_break = (previous < 0) & elsewhere
    return change, change_pct, series_break
