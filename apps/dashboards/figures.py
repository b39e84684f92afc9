"""Pure page logic on published cells: the latest value, what stands out, rankings and the
classes of a map. No queries here: the selectors read, these functions arrange."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from apps.indicators.registry import IndicatorDefinition

from .selectors import Cell

#: How many indicators "wat valt op" names, and how many areas a ranking shows.
STAND_OUT_LIMIT = 6
RANKING_LIMIT = 10
MAP_CLASSES = 5


def by_indicator(cells: Iterable[Cell]) -> dict[str, list[Cell]]:
    grouped: dict[str, list[Cell]] = {}
    for cell in cells:
        grouped.setdefault(cell.indicator, []).append(cell)
    for series in grouped.values():
        series.sort(key=lambda cell: cell.year)
    return grouped


def latest(series: list[Cell]) -> Cell | None:
    """The latest year's cell; a suppressed latest year is still the latest (it says why)."""
    return series[-1] if series else None


def risk_score(cell: Cell, definition: IndicatorDefinition) -> float | None:
    """How far, in the direction of risk, an area is from its peers (or else from Nederland):
    the log of the index, so 200 and 50 weigh the same. None when not significant."""
    for index, sig in ((cell.index_peer, cell.sig_peer), (cell.index_nl, cell.sig_nl)):
        if index is not None and index > 0 and sig in ("+", "-"):
            score = math.log(index / 100)
            return score * definition.direction
    return None


def stand_out(latest_cells: dict[str, Cell], definitions: dict[str, IndicatorDefinition]) -> list[tuple[Cell, float]]:
    """"Wat valt op": the risk indicators (direction ≠ 0) where the area differs significantly
    from its peer group, most different first, above-risk before below-risk."""
    scored = []
    for slug, cell in latest_cells.items():
        definition = definitions.get(slug)
        if definition is None or definition.direction == 0 or not cell.published:
            continue
        score = risk_score(cell, definition)
        if score is not None:
            scored.append((cell, score))
    scored.sort(key=lambda pair: (-(pair[1] > 0), -abs(pair[1]), pair[0].indicator))
    return scored[:STAND_OUT_LIMIT]


def ranking(cells: Iterable[Cell], definition: IndicatorDefinition, limit: int = RANKING_LIMIT) -> list[Cell]:
    """The published areas in the order of risk (highest value first unless lower is riskier)."""
    published = [cell for cell in cells if cell.published]
    sign = -1 if definition.direction >= 0 else 1
    published.sort(key=lambda cell: (sign * cell.value, cell.area_code))
    return published[:limit]


def class_breaks(values: Iterable[float], classes: int = MAP_CLASSES) -> list[float]:
    """Upper bounds of quantile classes (the last is the maximum), without repeats: a map of
    many equal values gets fewer classes rather than empty ones."""
    data = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size == 0:
        return []
    quantiles = np.quantile(data, np.linspace(0, 1, classes + 1)[1:])
    breaks: list[float] = []
    for bound in quantiles:
        bound = float(bound)
        if not breaks or bound > breaks[-1]:
            breaks.append(bound)
    return breaks


def class_of(value: float, breaks: list[float]) -> int:
    for i, bound in enumerate(breaks):
        if value <= bound:
            return i
    return len(breaks) - 1
