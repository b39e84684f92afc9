"""The indicator registry: theme apps register definitions; the engine, pages and API iterate.

A new theme is a new app that registers its indicators in its AppConfig.ready(); nothing in the
core changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

CELL_COLUMNS = ["area_code", "vintage", "year", "value", "status", "denominator", "synthetic"]


@dataclass(frozen=True)
class IndicatorDefinition:
    slug: str
    theme: str
    name_nl: str
    name_en: str
    definition: str
    unit: str
    kind: str  # count, share, rate, mean, sum
    compute: Callable[["StagedData"], pd.DataFrame] = field(repr=False, compare=False)
    sources: tuple[str, ...] = ()  # source kinds it is computed from
    direction: int = 0  # +1 higher = more risk, -1 lower = more risk, 0 context
    min_denominator: float | None = None  # below it the cell is suppressed (status T)
    levels: tuple[str, ...] = ("land", "provincie", "gemeente", "wijk", "buurt")
    caveat: str = "Een hoge waarde laat een patroon zien, geen bewijs."


_REGISTRY: dict[str, IndicatorDefinition] = {}


def register(definition: IndicatorDefinition) -> IndicatorDefinition:
    _REGISTRY[definition.slug] = definition
    return definition


def all_indicators() -> list[IndicatorDefinition]:
    return list(_REGISTRY.values())


def get(slug: str) -> IndicatorDefinition:
    return _REGISTRY[slug]


def affected_by(source_kinds: list[str]) -> list[IndicatorDefinition]:
    """The indicators computed from any of these source kinds."""
    kinds = set(source_kinds)
    return [definition for definition in _REGISTRY.values() if kinds & set(definition.sources)]
