"""The indicator engine: from staged records and open figures to cells of every area and year.

Everything is vectorised with numpy and pandas: a recalculation reads each extract, the open
figures and the area hierarchy once (apps.indicators.staged) and aggregates with array
operations, so no code loops over cells or asks the database per cell.

How a cell comes about
----------------------
* **Cell space.** The areas of every loaded indeling are numbered, so the cells of one indicator
  form a dense array: area × period (vintage, year) × SBI section (all branches plus A–U for the
  branche indicators). Each buurt knows the numbers of its wijk, gemeente, provincie and
  Nederland (``AreaIndex.ancestors``).
* **Aggregation.** Each record lands in the cell of its buurt and in those of the buurt's four
  ancestors (and, for branche indicators, in the same cells of its SBI section), and
  ``np.bincount`` adds them up: counts of records add up from buurt to Nederland. *Distinct*
  units (persons, dwellings, companies) are counted per cell from the distinct (cell, unit)
  pairs, so a person convicted in two buurten of one gemeente is one person of that gemeente,
  never the sum of the parts.
* **What a cell keeps for disclosure control** (restricted, never published): ``numerator`` (the
  count under the value), ``contributors`` (distinct contributors: persons, buyers, companies,
  or records where the extract names no one), for sums of amounts ``total`` and the largest and
  second largest contribution of one contributor (``top1``, ``top2``, after adding up each
  contributor's records in the area), the ``denominator``, and ``synthetic`` (any contributing
  record is synthetic; a cell without any record, e.g. a zero count, is synthetic when the
  extract of its year holds synthetic records, since the zero is as synthetic as the rest).
* **Which cells.** Every area of every level of the vintage gets a cell for every year of the
  records (a buurt without any record has a count of 0 and a rate of 0), so a zero is a value
  and not a gap. Per-section cells exist where the section has records in the area (for a share:
  in its denominator).
* **Denominators** from open figures resolve per area with a year fallback (the nearest year
  on the same indeling; see ``StagedData.denominator``). A value needs a denominator above 0;
  otherwise it stays empty and disclosure control marks it (T below the minimum).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .registry import CELL_COLUMNS
from .staged import PERIOD, StagedData

logger = logging.getLogger(__name__)

# The SBI sections A–U (which division lies in which section: apps.branches.sbi); '' = all.
SECTIONS = ("", *"ABCDEFGHIJKLMNOPQRSTU")


def periods_of(records: pd.DataFrame) -> pd.DataFrame:
    """The (vintage, year) pairs the records cover."""
    if records.empty:
        return pd.DataFrame({"vintage": pd.Series(dtype=int), "year": pd.Series(dtype=int)})
    return records[PERIOD].drop_duplicates().astype(int).sort_values(PERIOD).reset_index(drop=True)


# ---------------------------------------------------------------- the dense cell space


class Space:
    """The cells of one computation as a dense array: area × period (vintage, year) × section.

    Cell number = (area × P + period) × S + section, with S = 22 (all + A–U) for branche
    indicators and 1 otherwise. Aggregates are numpy arrays over these numbers.
    """

    def __init__(self, staged: StagedData, periods: pd.DataFrame, by_section: bool = False):
        self.areas = staged.areas()
        self.periods = periods[PERIOD].drop_duplicates().astype(int).sort_values(PERIOD).reset_index(drop=True)
        self.A, self.P = len(self.areas), len(self.periods)
        self.S = len(SECTIONS) if by_section else 1
        self.size = self.A * self.P * self.S
        self._period_lookup = pd.MultiIndex.from_frame(self.periods)

    def period_of(self, vintages, years) -> np.ndarray:
        """The period number of each (vintage, year); -1 outside the periods."""
        if self.P == 0:
            return np.full(len(vintages), -1, dtype=np.int64)
        wanted = pd.MultiIndex.from_arrays([np.asarray(vintages, dtype=np.int64), np.asarray(years, dtype=np.int64)])
        return self._period_lookup.get_indexer(wanted)

    def section_of(self, letters) -> np.ndarray:
        if self.S == 1:
            return np.zeros(len(letters), dtype=np.int64)
        lookup = {letter: number for number, letter in enumerate(SECTIONS)}
        return pd.Series(letters).map(lookup).fillna(0).to_numpy(dtype=np.int64)

    def base_mask(self) -> np.ndarray:
        """All-branche cells of every area (with buurten under it) in every period of its vintage."""
        matches = self.areas.in_hierarchy[:, None] & (
            self.areas.vintage[:, None] == self.periods["vintage"].to_numpy()[None, :]
        )
        mask = np.zeros((self.A, self.P, self.S), dtype=bool)
        mask[:, :, 0] = matches
        return mask.ravel()

    def section_mask(self) -> np.ndarray:
        return np.tile(np.arange(self.S) > 0, self.A * self.P)

    def frame(self, mask: np.ndarray, columns: dict[str, np.ndarray]) -> pd.DataFrame:
        """The cells of ``mask`` as rows: area_code, vintage, year, sbi_section and ``columns``."""
        cells = np.flatnonzero(mask)
        area, rest = np.divmod(cells, self.P * self.S)
        period, section = np.divmod(rest, self.S)
        frame = pd.DataFrame(
            {
                "area_code": self.areas.code[area],
                "vintage": self.periods["vintage"].to_numpy()[period],
                "year": self.periods["year"].to_numpy()[period],
                "sbi_section": np.asarray(SECTIONS, dtype=object)[section] if self.S > 1 else "",
            }
        )
        for name, values in columns.items():
            frame[name] = values[cells] if isinstance(values, np.ndarray) else values
        return frame

    def per_cell(self, area_period_values: np.ndarray) -> np.ndarray:
        """Spread an (area × period) array over the sections of each cell."""
        return np.repeat(area_period_values, self.S)

    def period_per_cell(self) -> np.ndarray:
        return np.tile(np.repeat(np.arange(self.P), self.S), self.A)


@dataclass
class Aggregate:
    """Dense per-cell sums of one set of records (see ``aggregate``)."""

    rows: np.ndarray  # records in the cell
    numerator: np.ndarray  # records, or distinct units
    contributors: np.ndarray  # distinct contributors
    synthetic: np.ndarray  # any synthetic record
    total: np.ndarray | None = None  # sum of amounts
    top1: np.ndarray | None = None  # largest sum of one contributor
    top2: np.ndarray | None = None  # second largest


def _codes(values: np.ndarray) -> np.ndarray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    codes, _ = pd.factorize(values)
    missing = codes < 0
    if missing.any():  # no id: all such records count as one unit
        codes[missing] = codes.max() + 1
    return codes.astype(np.int64)


def _distinct(cells: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """Distinct codes per cell."""
    if cells.size == 0:
        return np.zeros(size)
    width = int(codes.max()) + 1
    pairs = pd.unique(cells * width + codes)  # hash-based: far quicker than np.unique here
    return np.bincount(pairs // width, minlength=size).astype(float)


def _top_two(cells: np.ndarray, codes: np.ndarray, amounts: np.ndarray, size: int):
    """The largest and second largest sum of one contributor per cell."""
    top1, top2 = np.zeros(size), np.zeros(size)
    if cells.size == 0:
        return top1, top2
    width = int(codes.max()) + 1
    inverse, pairs = pd.factorize(cells * width + codes)
    sums = np.bincount(inverse, weights=amounts)
    pair_cells = pairs // width
    order = np.lexsort((-sums, pair_cells))
    ordered_cells, ordered_sums = pair_cells[order], sums[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = ordered_cells[1:] != ordered_cells[:-1]
    second = np.zeros(len(order), dtype=bool)
    second[1:] = ~first[1:] & first[:-1]
    top1[ordered_cells[first]] = ordered_sums[first]
    top2[ordered_cells[second]] = ordered_sums[second]
    return top1, top2


def aggregate(
    space: Space,
    records: pd.DataFrame,
    *,
    unit: str | None = None,
    contributor: str | None = None,
    amount: str | None = None,
) -> Aggregate:
    """Roll records up from their buurt to every level (and, in a space with sections, to their
    SBI section as well as to all branches).

    ``numerator`` counts records, or distinct values of ``unit`` per cell when given.
    ``contributors`` counts distinct values of ``contributor`` (default: the unit, else each
    record is its own). With ``amount``: ``total`` is the sum, ``top1``/``top2`` the two largest
    sums of one contributor in the cell (its records in the area added up first).
    """
    size = space.size
    area = space.areas.number_of(records["vintage"].to_numpy(), records["buurt_code"].to_numpy())
    period = space.period_of(records["vintage"].to_numpy(), records["year"].to_numpy())
    unknown = int((area < 0).sum())
    if unknown:
        logger.warning("%s records lie in buurten unknown to their indeling and are left out", unknown)
    keep = np.flatnonzero((area >= 0) & (period >= 0))
    ancestors = space.areas.ancestors[area[keep]]  # (m, 5): buurt … land
    cells = (ancestors * space.P + period[keep][:, None]) * space.S
    valid = ancestors >= 0
    if space.S > 1:
        section = space.section_of(records["sbi_section"].to_numpy()[keep])
        cells = np.concatenate([cells, cells + section[:, None]], axis=1)
        valid = np.concatenate([valid, valid & (section[:, None] > 0)], axis=1)
    row = np.broadcast_to(np.arange(len(keep))[:, None], cells.shape)[valid]
    cells = cells[valid]

    rows = np.bincount(cells, minlength=size).astype(float)
    numerator = rows if unit is None else _distinct(cells, _codes(records[unit].to_numpy()[keep])[row], size)
    who = contributor or unit
    if who is None:
        contributors, who_codes = rows, row
    elif who == unit:
        who_codes = _codes(records[unit].to_numpy()[keep])[row]
        contributors = numerator
    else:
        who_codes = _codes(records[who].to_numpy()[keep])[row]
        contributors = _distinct(cells, who_codes, size)
    synthetic = np.bincount(cells, weights=records["synthetic"].to_numpy(dtype=float)[keep][row], minlength=size) > 0
    result = Aggregate(rows=rows, numerator=numerator, contributors=contributors, synthetic=synthetic)
    if amount:
        # Money in whole cents: float64 adds whole numbers exactly (below 2**53), so every
        # level's total is the exact sum of its parts', whatever order the records come in, and
        # disclosure control can rely on "wijk = sum of its buurten" to the cent.
        cents = np.rint(np.nan_to_num(records[amount].to_numpy(dtype=float)[keep][row]) * 100)
        result.total = np.bincount(cells, weights=cents, minlength=size) / 100
        top1, top2 = _top_two(cells, who_codes, cents, size)
        result.top1, result.top2 = top1 / 100, top2 / 100
    return result


def aggregate_frame(
    staged: StagedData,
    records: pd.DataFrame,
    *,
    periods: pd.DataFrame | None = None,
    by_section: bool = False,
    **options,
) -> pd.DataFrame:
    """``aggregate`` as rows, one per cell that holds records (for tests and inspection)."""
    space = Space(staged, periods_of(records) if periods is None else periods, by_section)
    result = aggregate(space, records, **options)
    columns = {"numerator": result.numerator, "contributors": result.contributors, "synthetic": result.synthetic}
    if result.total is not None:
        columns.update(total=result.total, top1=result.top1, top2=result.top2)
    return space.frame(result.rows > 0, columns)


# ---------------------------------------------------------------- from aggregates to cells


def _scope(space: Space, *frames: pd.DataFrame) -> np.ndarray:
    """Per period: do the extracts hold synthetic records? (for cells without any record)"""
    scope = np.zeros(space.P, dtype=bool)
    for frame in frames:
        if frame is None or frame.empty:
            continue
        period = space.period_of(frame["vintage"].to_numpy(), frame["year"].to_numpy())
        inside = period >= 0
        weights = frame["synthetic"].to_numpy(dtype=float)[inside]
        scope |= np.bincount(period[inside], weights=weights, minlength=space.P) > 0
    return scope


def _cells(
    space: Space,
    mask: np.ndarray,
    numerator: Aggregate,
    value: np.ndarray,
    *,
    denominator: np.ndarray | None,
    scope: np.ndarray,
    other: Aggregate | None = None,
    status: np.ndarray | None = None,
) -> pd.DataFrame:
    rows = numerator.rows + (other.rows if other is not None else 0)
    synthetic = numerator.synthetic | (other.synthetic if other is not None else False)
    synthetic = synthetic | ((rows == 0) & scope[space.period_per_cell()])
    columns = {
        "value": value,
        "numerator": numerator.numerator,
        "contributors": numerator.contributors,
        "denominator": denominator if denominator is not None else np.full(space.size, np.nan),
        "synthetic": synthetic,
        "status": status if status is not None else "",
    }
    if numerator.total is not None:
        columns.update(total=numerator.total, top1=numerator.top1, top2=numerator.top2)
    return space.frame(mask, columns).reindex(columns=CELL_COLUMNS)


def _divide(numerator: np.ndarray, denominator: np.ndarray, scale: float | None) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        value = numerator / denominator * (scale or 1)
    return np.where(denominator > 0, value, np.nan)


def _observed(space: Space, staged: StagedData, variable: str, fallback: str | None):
    """An open figure per cell (year fallback, see StagedData.denominator) and its secret flag."""
    frame = staged.denominator(variable, space.periods, fallback=fallback)
    values = np.full(space.A * space.P, np.nan)
    secret = np.zeros(space.A * space.P, dtype=bool)
    if not frame.empty:
        area = space.areas.number_of(frame["vintage"].to_numpy(), frame["area_code"].to_numpy())
        period = space.period_of(frame["vintage"].to_numpy(), frame["year"].to_numpy())
        ok = (area >= 0) & (period >= 0)
        position = area[ok] * space.P + period[ok]
        values[position] = frame["denominator"].to_numpy(dtype=float)[ok]
        secret[position] = (frame["den_status"] == "S").to_numpy()[ok]
    return space.per_cell(values), space.per_cell(secret)


# ---------------------------------------------------------------- indicator shapes


def count_cells(
    staged: StagedData,
    records: pd.DataFrame,
    *,
    periods: pd.DataFrame | None = None,
    unit: str | None = None,
    contributor: str | None = None,
    by_section: bool = False,
) -> pd.DataFrame:
    """A count (records or distinct units) per area and year (and section)."""
    space = Space(staged, periods_of(records) if periods is None else periods, by_section)
    result = aggregate(space, records, unit=unit, contributor=contributor)
    mask = space.base_mask() | (space.section_mask() & (result.rows > 0))
    return _cells(space, mask, result, result.numerator, denominator=None, scope=_scope(space, records))


def ratio_cells(
    staged: StagedData,
    numerator_records: pd.DataFrame,
    denominator_records: pd.DataFrame,
    *,
    scale: float,
    periods: pd.DataFrame | None = None,
    unit: str | None = None,
    denominator_unit: str | None = None,
    contributor: str | None = None,
    by_section: bool = False,
) -> pd.DataFrame:
    """Numerator records over denominator records, both counted per cell, × scale. Per-section
    cells exist where the denominator has records."""
    space = Space(staged, periods_of(denominator_records) if periods is None else periods, by_section)
    numerator = aggregate(space, numerator_records, unit=unit, contributor=contributor)
    denominator = aggregate(space, denominator_records, unit=denominator_unit or unit)
    mask = space.base_mask() | (space.section_mask() & (denominator.rows > 0))
    value = _divide(numerator.numerator, denominator.numerator, scale)
    scope = _scope(space, numerator_records, denominator_records)
    return _cells(
        space, mask, numerator, value, denominator=denominator.numerator, scope=scope, other=denominator
    )


def share_cells(
    staged: StagedData,
    population: pd.DataFrame,
    mask: pd.Series,
    *,
    scale: float = 100,
    unit: str | None = None,
    contributor: str | None = None,
    by_section: bool = False,
    periods: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The share of a population (records or distinct units) that meets ``mask``, × scale."""
    return ratio_cells(
        staged,
        population[np.asarray(mask, dtype=bool)],
        population,
        scale=scale,
        periods=periods,
        unit=unit,
        contributor=contributor,
        by_section=by_section,
    )


def rate_cells(
    staged: StagedData,
    records: pd.DataFrame,
    *,
    variable: str,
    scale: float | None,
    fallback: str | None = None,
    periods: pd.DataFrame | None = None,
    unit: str | None = None,
    contributor: str | None = None,
    amount: str | None = None,
    by_section: bool = False,
    universe: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Records (or, with ``amount``, the sum of their amounts) per open figure (inhabitants,
    dwellings, land area), × scale. Per-section cells exist where ``universe`` (default: the
    records) has records of the section in the area."""
    space = Space(staged, periods_of(records) if periods is None else periods, by_section)
    numerator = aggregate(space, records, unit=unit, contributor=contributor, amount=amount)
    mask = space.base_mask()
    if by_section:
        base = numerator if universe is None else aggregate(space, universe)
        mask |= space.section_mask() & (base.rows > 0)
    denominator, secret = _observed(space, staged, variable, fallback)
    counted = numerator.total if amount else numerator.numerator
    value = _divide(counted, denominator, scale)
    status = np.where(secret & np.isnan(value), "S", "")
    scope = _scope(space, records, universe)
    return _cells(space, mask, numerator, value, denominator=denominator, scope=scope, status=status)


def mean_cells(
    staged: StagedData,
    records: pd.DataFrame,
    *,
    amount: str,
    contributor: str | None = None,
    periods: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The mean amount per record; the denominator is the number of records."""
    space = Space(staged, periods_of(records) if periods is None else periods)
    result = aggregate(space, records, contributor=contributor, amount=amount)
    value = _divide(result.total, result.numerator, 1)
    return _cells(space, space.base_mask(), result, value, denominator=result.numerator, scope=_scope(space, records))


# ---------------------------------------------------------------- open figures


def published_cells(staged: StagedData, variable: str) -> pd.DataFrame:
    """An open figure as its publisher published it (secret and missing codes kept)."""
    frame = staged.observations(variable)
    return frame.assign(sbi_section="", synthetic=False).reindex(columns=CELL_COLUMNS)


def observed_rate_cells(
    staged: StagedData, variable: str, *, per: str, scale: float, fallback: str | None = None
) -> pd.DataFrame:
    """One open figure over another (e.g. registered crime per 1,000 inhabitants): a cell for each
    published figure of ``variable``, the denominator resolved with the year fallback."""
    counts = staged.observations(variable)
    if counts.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    periods = counts[PERIOD].drop_duplicates().astype(int)
    denominator = staged.denominator(per, periods, fallback=fallback)
    frame = counts.merge(denominator, on=["area_code", "vintage", "year"], how="left")
    frame["numerator"] = frame["value"]
    values = frame["denominator"].astype(float)
    frame["value"] = (frame["value"] / values * scale).where(values > 0)
    secret = (frame["status"] == "S") | (frame["den_status"] == "S")
    missing = frame["status"] == "N"
    frame["status"] = np.select([secret, missing], ["S", "N"], default="")
    frame.loc[frame["status"] != "", "value"] = np.nan
    frame["sbi_section"] = ""
    frame["synthetic"] = False
    return frame.reindex(columns=CELL_COLUMNS)
