"""Pure page logic on published cells: the latest value, what stands out, rankings and the
classes of a map. No queries here: the selectors read, these functions arrange."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from apps.disclosure.codes import SUPPRESSED
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


#: The comparators a sentence about a figure can name.
PEERS = "peers"
NEDERLAND = "nederland"


@dataclass(frozen=True)
class Comparison:
    """The one comparison a sentence about a figure rests on: against whom, the index (that
    comparator = 100) and the significance, exactly as the table's column for it shows them."""

    against: str  # PEERS or NEDERLAND
    index: float
    sig: str  # "+" or "-"

    @property
    def higher(self) -> bool:
        return self.sig == "+"


def comparison(cell: Cell, *, against: str | None = None) -> Comparison | None:
    """Similar areas where the area differs significantly from them, else Nederland where it
    differs significantly from Nederland (or only the comparator ``against``); None when it
    differs from neither. Direction, index and marker are all read from this one comparator,
    so they cannot disagree."""
    for name, index, sig in ((PEERS, cell.index_peer, cell.sig_peer), (NEDERLAND, cell.index_nl, cell.sig_nl)):
        if against not in (None, name):
            continue
        if index is not None and index > 0 and sig in ("+", "-"):
            return Comparison(name, index, sig)
    return None


def risk_score(cell: Cell, definition: IndicatorDefinition) -> float | None:
    """How far, in the direction of risk, an area is from its comparator (peers, else
    Nederland): the size of the log of the index, so 200 and 50 weigh the same, signed by the
    significance. None when not significant."""
    compared = comparison(cell)
    if compared is None:
        return None
    size = abs(math.log(compared.index / 100))
    return size * (1 if compared.higher else -1) * definition.direction


def stand_out(latest_cells: dict[str, Cell], definitions: dict[str, IndicatorDefinition]) -> list[tuple[Cell, float]]:
    """"Wat valt op": the risk indicators (direction ≠ 0) where the area differs significantly
    from its peer group (else from Nederland), most different first, above-risk before below-risk."""
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


def withheld_share(latest_cells: dict[str, Cell], definitions: dict[str, IndicatorDefinition]) -> tuple[int, int]:
    """(withheld, total) among the latest figures of the risk indicators (direction ≠ 0): the
    figures "wat valt op" could have compared. Many withheld means little could stand out."""
    risky = [cell for slug, cell in latest_cells.items()
             if slug in definitions and definitions[slug].direction != 0]
    return sum(1 for cell in risky if cell.status in SUPPRESSED), len(risky)


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
