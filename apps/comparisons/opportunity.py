"""The gelegenheidsstructuur profile: where the opportunities for undermining cluster.

A signal profile, not a causal model. It shows how far an area's published figures lie from
Nederland on components that the literature links to opportunity for undermining (risk-branch
density, vacancy, transaction dynamics, low income, ...), each in units of the spread between
areas of the same level. A high composite says "these opportunity signals coincide here"; it
does not say that undermining happens here, that the components cause it, or how much each
contributes. The components are chosen and signed by the steward (``components``); nothing is
estimated or weighted from crime outcomes.

Per component, for each area (all branches together, per level, vintage and year):

    z = direction × (value − value of Nederland) / sd

with sd the sample standard deviation (ddof 1) of the published values of that level in that
table: the spread among comparable areas, not the national one. sd is NaN with fewer than three
published values or no spread, and so is z. The composite is the plain mean of the available
z's, given only when at least half of the components are available, so an area is not ranked
on one figure. Only published cells (status 'V' with a value) are used. Pure module, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

KEYS = ["area_code", "level", "vintage", "year"]
TABLE = ["indicator", "vintage", "year"]
MIN_VALUES = 3


def opportunity_profile(cells: pd.DataFrame, components: Mapping[str, int]) -> pd.DataFrame:
    """One row per (area_code, level, vintage, year) with the component z's and their composite.

    ``cells``: the cells contract of ``compute.compare``. ``components``: indicator slug →
    direction (+1: a higher value means more opportunity, -1: a lower value does). Returns the
    columns area_code, level, vintage, year, composite, n_components (components available) and
    z_<slug> per component, in the order of ``components``.
    """
    slugs = list(components)
    z_columns = [f"z_{slug}" for slug in slugs]
    rows = (cells["sbi_section"] == "") & cells["indicator"].isin(slugs)
    if not rows.any():
        return pd.DataFrame(columns=[*KEYS, "composite", "n_components", *z_columns])
    frame = cells.loc[rows, [*TABLE, "area_code", "level", "value", "status"]].copy()
    frame["value"] = frame["value"].where(frame["status"] == "V")

    land = frame[frame["level"] == "land"].drop_duplicates(TABLE, keep="last")
    frame = frame.merge(
        land[[*TABLE, "value"]].rename(columns={"value": "nl_value"}), on=TABLE, how="left"
    )
    spread = frame.groupby([*TABLE, "level"])["value"].agg(["std", "count"])
    spread["sd"] = spread["std"].where((spread["count"] >= MIN_VALUES) & (spread["std"] > 0))
    frame = frame.join(spread["sd"], on=[*TABLE, "level"])
    direction = frame["indicator"].map(components).astype(float)
    frame["z"] = direction * (frame["value"] - frame["nl_value"]) / frame["sd"]

    wide = (
        frame.drop_duplicates([*KEYS, "indicator"], keep="last")
        .set_index([*KEYS, "indicator"])["z"]
        .unstack("indicator")
        .reindex(columns=slugs)
    )
    available = wide.notna().sum(axis=1)
    composite = wide.mean(axis=1, skipna=True).where(available * 2 >= len(slugs))
    result = wide.set_axis(z_columns, axis=1)
    result.insert(0, "composite", composite)
    result.insert(1, "n_components", available.astype(int))
    return result.reset_index().sort_values(KEYS, ignore_index=True)
