"""Nederland and provincie figures derived from the gemeenten, where the source has none.

Some open sources publish gemeenten and buurten but no national figure (the police's registered
crime). Where every gemeente of the indeling has a published figure, Nederland is their sum, and
so is a provincie whose gemeenten all have one: a count is the sum of the counts, a rate or share
the sum of the numerators over the sum of the denominators (the very counts the gemeenten's own
values rest on) times the scale. A gemeente missing or withheld leaves the total underived: a sum
of part of the country is not the country's figure, and a withheld cell must not be recoverable
from a total (BRIEF §5 rule 3). Every derived cell says so (``derived``), so pages, the API and
downloads can tell it from the source's own.

Pure: frames in, frames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from apps.geography.levels import NEDERLAND_CODE

#: Kinds whose total is the sum of the parts, and kinds that are a numerator over a denominator.
SUMMED_KINDS = ("count", "sum")
RATIO_KINDS = ("rate", "share")


def totals(cells: pd.DataFrame, areas: pd.DataFrame, *, kind: str, scale: float | None,
           min_denominator: float | None = None) -> pd.DataFrame:
    """The Nederland and provincie cells of one indicator that its ``cells`` lack but its
    gemeenten add up to, with ``derived`` True (columns of ``cells``; empty when none).

    ``cells``: protected cells (indicator, area_code, vintage, year, sbi_section, value, status,
    numerator, denominator, …). ``areas``: every area of every indeling (vintage, area_code,
    level, provincie_code), as ``apps.comparisons.services.area_frame`` gives them."""
    empty = cells.iloc[0:0].assign(derived=pd.Series(dtype=bool))
    if cells.empty or kind not in SUMMED_KINDS + RATIO_KINDS:
        return empty
    gemeenten = areas[areas["level"] == "gemeente"][["vintage", "area_code", "provincie_code"]]
    all_branches = cells[cells["sbi_section"] == ""]
    at_gemeente = all_branches.merge(gemeenten, on=["vintage", "area_code"], how="inner")
    if at_gemeente.empty:
        return empty
    usable = (at_gemeente["status"] == "V") & at_gemeente["value"].notna()
    if kind in RATIO_KINDS:
        usable &= at_gemeente["numerator"].notna() & at_gemeente["denominator"].notna()
    at_gemeente = at_gemeente.assign(usable=usable)
    present = set(zip(all_branches["vintage"], all_branches["year"], all_branches["area_code"], strict=True))
    indicator = cells["indicator"].iloc[0]
    derived = []
    for (vintage, year), part in at_gemeente.groupby(["vintage", "year"], sort=True):
        indeling = gemeenten[gemeenten["vintage"] == vintage]
        groups = [(NEDERLAND_CODE, indeling["area_code"])]
        groups += [(code, members["area_code"]) for code, members in indeling.groupby("provincie_code") if code]
        usable_codes = set(part.loc[part["usable"], "area_code"])
        for code, members in groups:
            if (vintage, year, code) in present or not set(members) <= usable_codes:
                continue
            rows = part[part["area_code"].isin(set(members))]
            cell = _total(rows, kind=kind, scale=scale, min_denominator=min_denominator)
            if cell is not None:
                derived.append({"indicator": indicator, "area_code": code, "vintage": int(vintage), "year": int(year),
                                "sbi_section": "", "status": "V", **cell})
    if not derived:
        return empty
    frame = pd.DataFrame(derived).reindex(columns=list(cells.columns))
    return frame.assign(derived=True)


def _total(rows: pd.DataFrame, *, kind: str, scale: float | None, min_denominator: float | None) -> dict | None:
    if kind in SUMMED_KINDS:
        numerator = rows["numerator"]
        return {"value": float(rows["value"].sum()),
                "numerator": float(numerator.sum()) if numerator.notna().all() else np.nan,
                "denominator": np.nan}
    numerator, denominator = float(rows["numerator"].sum()), float(rows["denominator"].sum())
    if denominator <= 0 or (min_denominator and denominator < min_denominator):
        return None
    return {"value": numerator / denominator * (scale or 1), "numerator": numerator, "denominator": denominator}
