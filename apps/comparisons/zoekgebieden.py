"""Kansrijke zoekgebieden: areas where several signals of one theme coincide (BRIEF §6).

A kansrijk zoekgebied of a theme, for one (area, vintage, year), is a gemeente, wijk or buurt

- whose cells of the theme's signal indicators (direction != 0, all branches together) are all
  published: every one passes its minimum and none is suppressed, so the area is judged on its
  whole profile and never on the cells that happen to be left; and
- where at least ``min_signals`` of those indicators are both significantly beyond Nederland
  in the risk direction (exact interval wholly above NL for direction +1, wholly below for -1)
  and at or beyond the national ``percentile`` of its level (>= 90 for +1, <= 10 for -1).

Both conditions per indicator, because either alone misleads: a tiny buurt reaches the 90th
percentile by chance, a large gemeente is "significant" on a trivial difference. Requiring two
indicators keeps one noisy figure from making an area a zoekgebied. The result names the
signals, never addresses or records (the portal shows which signals). Context indicators
(direction 0) describe the area and are never a signal. Pure module, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from apps.comparisons.stats import MARK_ABOVE, MARK_BELOW

LEVELS = ("gemeente", "wijk", "buurt")
KEYS = ["theme", "area_code", "level", "vintage", "year"]
REQUIRED = (
    "indicator",
    "direction",
    "area_code",
    "level",
    "vintage",
    "year",
    "sbi_section",
    "value",
    "status",
    "sig_nl",
    "percentile",
)
OUTPUT_COLUMNS = [*KEYS, "signals", "n_signals"]


def search_areas(
    cells_with_comparisons: pd.DataFrame,
    theme_of: Mapping[str, str],
    *,
    min_signals: int = 2,
    percentile: float = 90.0,
) -> pd.DataFrame:
    """The kansrijke zoekgebieden of every theme, one row per (theme, area, vintage, year).

    ``cells_with_comparisons``: the cells joined with the columns of ``compute.compare`` (at
    least REQUIRED). ``theme_of``: indicator slug → theme; indicators it does not name are left
    out. Returns OUTPUT_COLUMNS: ``signals`` lists the indicator slugs that met both conditions
    (sorted), ``n_signals`` counts them.
    """
    missing = [column for column in REQUIRED if column not in cells_with_comparisons.columns]
    if missing:
        raise ValueError(f"cells lack the columns {', '.join(missing)}")
    frame = cells_with_comparisons
    theme = frame["indicator"].map(theme_of)
    direction = frame["direction"].fillna(0)
    rows = (
        (frame["sbi_section"] == "")
        & frame["level"].isin(LEVELS)
        & theme.notna()
        & (direction != 0)
    )
    cells = frame.loc[rows, ["indicator", "area_code", "level", "vintage", "year"]].copy()
    cells["theme"] = theme[rows]
    published = (frame.loc[rows, "status"] == "V") & frame.loc[rows, "value"].notna()
    rank = frame.loc[rows, "percentile"]
    mark = frame.loc[rows, "sig_nl"]
    higher_is_risk = direction[rows] > 0
    cells["published"] = published
    cells["signal"] = published & np.where(
        higher_is_risk,
        (mark == MARK_ABOVE) & (rank >= percentile),
        (mark == MARK_BELOW) & (rank <= 100 - percentile),
    )
    summary = cells.groupby(KEYS, sort=True).agg(
        all_published=("published", "all"), n_signals=("signal", "sum")
    )
    found = summary[summary["all_published"] & (summary["n_signals"] >= min_signals)]
    if found.empty:
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    signals = (
        cells[cells["signal"]]
        .groupby(KEYS, sort=True)["indicator"]
        .agg(lambda slugs: sorted(slugs))
        .rename("signals")
    )
    result = found[["n_signals"]].join(signals, how="left").reset_index()
    result["n_signals"] = result["n_signals"].astype(int)
    return result[OUTPUT_COLUMNS]
