"""What the pages write about a figure in words ("wat valt op"). One builder for the area pages,
the theme pages and the briefing, fed the very cell and comparison the table beside it shows: the
value is the table's value (same year, same formatting), and "higher/lower", the index and the
▲/▼ marker all come from one comparator, so a sentence cannot contradict its row."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.indicators.registry import IndicatorDefinition

from . import formatting
from .figures import NEDERLAND, PEERS, Comparison
from .selectors import Cell

_SENTENCES = {
    (PEERS, True): lambda: _("%(value)s %(unit)s in %(year)s: higher than similar areas (index %(index)s)"),
    (PEERS, False): lambda: _("%(value)s %(unit)s in %(year)s: lower than similar areas (index %(index)s)"),
    (NEDERLAND, True): lambda: _("%(value)s %(unit)s in %(year)s: higher than the Netherlands (index %(index)s)"),
    (NEDERLAND, False): lambda: _("%(value)s %(unit)s in %(year)s: lower than the Netherlands (index %(index)s)"),
}


@dataclass(frozen=True)
class Sentence:
    """One figure in words, with the parts a page or a test needs beside the text."""

    indicator: str
    value: str  # as the table shows it
    year: int
    against: str  # figures.PEERS or figures.NEDERLAND
    index: str  # as the table shows it
    higher: bool  # the marker: ▲ higher, ▼ lower
    text: str


def describe(definition: IndicatorDefinition, cell: Cell, compared: Comparison) -> Sentence:
    """``cell`` against ``compared`` (figures.comparison of the same cell) in one sentence."""
    language = get_language() or "nl"
    value = formatting.value_text(definition, cell.value, cell.status)
    index = formatting.index_text(compared.index)
    text = _SENTENCES[(compared.against, compared.higher)]() % {
        "value": value, "unit": definition.localized("unit", language), "year": cell.year, "index": index,
    }
    return Sentence(
        indicator=definition.slug, value=value, year=cell.year, against=compared.against, index=index,
        higher=compared.higher, text=text,
    )


def withheld_note(withheld: int, total: int, *, area_name: str) -> str:
    """What a reader must know before "nothing stands out": how many figures are secret. Empty
    when none is."""
    if not withheld:
        return ""
    if withheld * 2 > total:
        return ngettext(
            "Of the %(total)s risk figure of %(area)s, %(withheld)s is secret in the latest year, "
            "so there is little to compare here.",
            "Of the %(total)s risk figures of %(area)s, %(withheld)s are secret in the latest year, "
            "so there is little to compare here.",
            total,
        ) % {"total": total, "withheld": withheld, "area": area_name}
    return ngettext(
        "%(withheld)s of the %(total)s risk figures of %(area)s is secret in the latest year.",
        "%(withheld)s of the %(total)s risk figures of %(area)s are secret in the latest year.",
        withheld,
    ) % {"total": total, "withheld": withheld, "area": area_name}
