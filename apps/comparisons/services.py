"""The Django side of the comparisons: feed a release's published cells to the pure modules.

``compare`` (compute.py), ``search_areas`` (zoekgebieden.py) and ``opportunity_profile``
(opportunity.py) work on frames; this module builds those frames from the area table and the
registry, and says which context figures define peers and which indicators make up the
gelegenheidsstructuur. It reads only cells that disclosure control let through: a suppressed
cell reaches the pure functions without value, numerator or denominator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from apps.core.area_codes import level_of
from apps.geography.models import Area
from apps.indicators import registry

from .compute import compare
from .opportunity import opportunity_profile
from .zoekgebieden import search_areas

#: Context figures that define "areas like this one" for the nearest neighbours (standardised).
KNN_FEATURES = ("stedelijkheid", "inwoners", "woz_gemiddeld", "inkomen_per_inwoner", "koopwoningen_pct")
#: The gelegenheidsstructuur: figures that make an area attractive to undermining, with the
#: direction in which they do (+1 higher = more opportunity, -1 lower). A signal profile, not a
#: causal model; the pages show every part beside the composite.
OPPORTUNITY_COMPONENTS = {
    "vestigingen_risicobranches_per_1000_inwoners": 1,
    "bedrijvendynamiek": 1,
    "vestigingen_op_woonadres": 1,
    "leegstand_pct": 1,
    "transacties_per_1000_woningen": 1,
    "aankopen_door_rechtspersonen": 1,
    "inkomen_per_inwoner": -1,
}
CONTEXT_INDICATORS = tuple(dict.fromkeys(("stedelijkheid", "inwoners", *KNN_FEATURES)))
COMPARISON_COLUMNS = [
    "index_nl", "index_provincie", "peer_group", "index_peer", "knn_codes", "index_knn", "percentile",
    "percentile_gemeente", "sig_nl", "sig_provincie", "sig_peer", "change", "change_pct", "series_break",
]


def area_frame() -> pd.DataFrame:
    """Every area of every indeling with its level, provincie and gemeente code."""
    rows = Area.objects.values_list("vintage", "code", "level", "parent__code").order_by()
    areas = pd.DataFrame(list(rows), columns=["vintage", "area_code", "level", "parent"])
    parent = dict(zip(zip(areas["vintage"], areas["area_code"]), areas["parent"], strict=True))
    level = dict(zip(zip(areas["vintage"], areas["area_code"]), areas["level"], strict=True))

    def ancestor(vintage: int, code: str, wanted: str) -> str:
        # At most four steps up (buurt → wijk → gemeente → provincie).
        for _ in range(5):
            if code is None:
                return ""
            if level.get((vintage, code)) == wanted:
                return code
            code = parent.get((vintage, code))
        return ""

    keys = list(zip(areas["vintage"], areas["area_code"], strict=True))
    areas["provincie_code"] = [ancestor(v, c, "provincie") for v, c in keys]
    areas["gemeente_code"] = [ancestor(v, c, "gemeente") for v, c in keys]
    return areas.drop(columns="parent")


def context_frame(cells: pd.DataFrame) -> pd.DataFrame:
    """The published context figures per (area_code, vintage, year), one column per figure."""
    published = cells[(cells["status"] == "V") & (cells["sbi_section"] == "")]
    if published.empty:
        return pd.DataFrame(columns=["area_code", "vintage", "year", *CONTEXT_INDICATORS])
    wide = published.pivot_table(
        index=["area_code", "vintage", "year"], columns="indicator", values="value", aggfunc="first"
    )
    return wide.reindex(columns=list(CONTEXT_INDICATORS)).reset_index()


def _levels(cells: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    merged = cells.merge(areas, on=["vintage", "area_code"], how="left", suffixes=("", "_area"))
    fallback = level_of(merged["area_code"])
    merged["level"] = merged["level"].fillna(fallback)
    for column in ("provincie_code", "gemeente_code"):
        merged[column] = merged[column].fillna("")
    return merged


def with_comparisons(cells: pd.DataFrame, areas: pd.DataFrame, context: pd.DataFrame) -> pd.DataFrame:
    """The protected cells of one indicator with the comparison columns added (same row order)."""
    definition = registry.get(cells["indicator"].iloc[0])
    frame = _levels(cells.reset_index(drop=True), areas)
    frame["kind"] = definition.kind
    frame["direction"] = definition.direction
    frame["scale"] = float(definition.scale) if definition.scale else np.nan
    features = [f for f in KNN_FEATURES if f in context.columns]
    compared = compare(frame, context=context, knn_features=features)
    for column in COMPARISON_COLUMNS:
        frame[column] = compared[column].to_numpy()
    return frame


def zoekgebieden(cells: pd.DataFrame) -> pd.DataFrame:
    """Kansrijke zoekgebieden of every theme from cells with comparisons."""
    theme_of = {d.slug: d.theme for d in registry.all_indicators() if d.theme != "context"}
    return search_areas(cells[cells["indicator"].isin(theme_of)], theme_of)


def opportunity(cells: pd.DataFrame) -> pd.DataFrame:
    registered = {d.slug for d in registry.all_indicators()}
    components = {slug: sign for slug, sign in OPPORTUNITY_COMPONENTS.items() if slug in registered}
    return opportunity_profile(cells[cells["indicator"].isin(components)], components)
