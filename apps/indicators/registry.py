"""The indicator registry: theme apps register definitions; the engine, pages and API iterate.

A new theme is a new app that registers its indicators in its AppConfig.ready(); nothing in the
core changes. A definition carries every field of BRIEF §6 (slug, theme, names, definition,
numerator and denominator, unit and scale, direction, kind, minimum denominator, levels, sources,
caveat) plus the function that computes it from the staged data (apps.indicators.engine).

The ``sources`` of a definition are the source-kind slugs it reads: they decide which indicators
an upload of a kind recomputes, and they are the one place that relation is written down (a
source kind's ``indicators`` are derived from here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

# Columns a compute function returns (one row per cell). Everything after ``status`` is kept in
# the restricted ComputedCell for disclosure control and never published.
CELL_COLUMNS = [
    "area_code",
    "vintage",
    "year",
    "sbi_section",  # '' for all branches; A–U for a cell of one SBI section
    "value",
    "status",  # '' computed, N not available, S secret at the source
    "numerator",  # the count under the value (records, persons, dwellings, establishments)
    "contributors",  # distinct contributors to the numerator (persons, companies, buyers, records)
    "total",  # sums of amounts: the total in euros
    "top1",  # sums of amounts: the largest contribution of one contributor
    "top2",  # sums of amounts: the second largest
    "denominator",
    "synthetic",  # any contributing record is synthetic
]

KINDS = ("count", "share", "rate", "mean", "sum")
ALL_LEVELS = ("land", "provincie", "gemeente", "wijk", "buurt")
CAVEAT = "Een hoge waarde laat een patroon zien, geen bewijs."
CAVEAT_EN = "A high value shows a pattern, not proof."
# The texts a definition has in Dutch (``name`` as name_nl, the others under their own name) and
# in English (``<field>_en``); ``IndicatorDefinition.localized`` picks one.
TEXT_FIELDS = ("name", "unit", "definition", "numerator", "denominator", "caveat")


@dataclass(frozen=True)
class IndicatorDefinition:
    slug: str
    theme: str
    name_nl: str
    name_en: str
    definition: str
    unit: str
    kind: str  # count, share, rate, mean, sum
    compute: Callable[["StagedData"], pd.DataFrame] = field(repr=False, compare=False)  # noqa: F821
    numerator: str = ""  # what is counted or summed (nl)
    denominator: str = ""  # what it is divided by (nl); '' for counts and published figures
    scale: int | None = None  # 100 for %, 1000 for per 1,000; None when not scaled
    sources: tuple[str, ...] = ()  # source kinds it is computed from
    direction: int = 0  # +1 higher = more risk, -1 lower = more risk, 0 context
    min_denominator: float | None = None  # below it the cell is suppressed (status T)
    levels: tuple[str, ...] = ALL_LEVELS
    by_sbi_section: bool = False  # also computed per SBI section (branche indicators)
    # Levels of the per-section cells: Nederland, provincies and gemeenten. CBS publishes a sector
    # breakdown only from 20 establishments; per wijk (3,400 × 21 sections) and buurt nearly
    # every cell would be suppressed, and the suppressed cells of a cross table area × section
    # are what makes secondary suppression and the audit expensive, for no published figure.
    section_levels: tuple[str, ...] = ("land", "provincie", "gemeente")
    caveat: str = CAVEAT
    # Disclosure control (apps.disclosure): the count table under the value when it is counted
    # from record-level extracts, e.g. "aankopen". Indicators naming the same table share one
    # suppression pattern and one rounding of that count, so no indicator gives away a cell
    # another one hides. '' for open figures, which are published as their publisher did.
    counts: str = ""
    # The count table under the denominator when that is counted from extracts too (shares).
    denominator_counts: str = ""
    # English counterparts of the Dutch texts above ('' falls back to the Dutch). A definition
    # with the default Dutch caveat gets CAVEAT_EN when it names no English caveat of its own.
    unit_en: str = ""
    definition_en: str = ""
    numerator_en: str = ""
    denominator_en: str = ""
    caveat_en: str = ""

    @property
    def from_extracts(self) -> bool:
        return bool(self.counts)

    def localized(self, field: str, language: str) -> str:
        """The text ``field`` (one of TEXT_FIELDS) in ``language``: the English text when the
        language is English ("en", "en-gb", ...) and the definition has one, else the Dutch."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"{field!r} is not one of {', '.join(TEXT_FIELDS)}")
        dutch = self.name_nl if field == "name" else getattr(self, field)
        if (language or "").lower().startswith("en"):
            return getattr(self, f"{field}_en") or dutch
        return dutch

    def __post_init__(self):
        if not self.caveat_en and self.caveat == CAVEAT:
            object.__setattr__(self, "caveat_en", CAVEAT_EN)
        if self.kind not in KINDS:
            raise ValueError(f"{self.slug}: kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.denominator_counts and not self.counts:
            raise ValueError(f"{self.slug}: denominator_counts needs counts")
        unknown = (set(self.levels) | set(self.section_levels)) - set(ALL_LEVELS)
        if unknown:
            raise ValueError(f"{self.slug}: unknown levels {sorted(unknown)}")


_REGISTRY: dict[str, IndicatorDefinition] = {}


def register(definition: IndicatorDefinition) -> IndicatorDefinition:
    existing = _REGISTRY.get(definition.slug)
    if existing is not None and existing.theme != definition.theme:
        raise ValueError(f"indicator {definition.slug!r} is registered by {existing.theme} already")
    _REGISTRY[definition.slug] = definition
    return definition


def all_indicators() -> list[IndicatorDefinition]:
    return list(_REGISTRY.values())


def get(slug: str) -> IndicatorDefinition:
    return _REGISTRY[slug]


def find(slug: str) -> IndicatorDefinition | None:
    """The definition, or None for a slug that is not (or no longer) registered."""
    return _REGISTRY.get(slug)


def of_theme(theme: str) -> list[IndicatorDefinition]:
    return [definition for definition in _REGISTRY.values() if definition.theme == theme]


def themes() -> list[str]:
    return list(dict.fromkeys(definition.theme for definition in _REGISTRY.values()))


def affected_by(source_kinds: list[str]) -> list[IndicatorDefinition]:
    """The indicators computed from any of these source kinds."""
    kinds = set(source_kinds)
    return [definition for definition in _REGISTRY.values() if kinds & set(definition.sources)]
