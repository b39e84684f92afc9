"""Sums of amounts whose levels add up only to round-off (apps/disclosure/tables.py).

Found at national scale (issue 15): the FIU table of 2021 stopped the pipeline with
``InconsistentTable`` around BU03440333 and BU03440343. The engine adds each level's amounts on
its own, in record order, so wijk WK034403 held 4,689,860.379999998 euro while its published
buurten added up to 4,689,860.38; its two other buurten had no reports and were withheld (T, a
rate on fewer than 100 inhabitants). The attacker's system then asked two non-negative cells to
add up to -1.9e-9 euro: no solution, although the true table is one.

The records below give the same: the wijk's total is 1.9e-9 euro below the sum of its buurten's.
"""

import numpy as np
import pandas as pd

from apps.disclosure import rules, tables
from apps.disclosure.audit import audit_passes

#: NL01 ← PV01 ← GM0001 ← {WK000101 ← {BU1 … BU4}, WK000102 ← {BU5, BU6}}
PARENTS = pd.Series(
    {
        "PV01": "NL01", "GM0001": "PV01", "WK000101": "GM0001", "WK000102": "GM0001",
        "BU00010101": "WK000101", "BU00010102": "WK000101", "BU00010103": "WK000101",
        "BU00010104": "WK000101", "BU00010201": "WK000102", "BU00010202": "WK000102",
    },
    dtype=object,
)
INHABITANTS = {
    "BU00010101": 3_000, "BU00010102": 4_000, "BU00010103": 40, "BU00010104": 60,
    "BU00010201": 2_500, "BU00010202": 3_500,
}
#: (buurt, amount) in record order. BU3 and BU4 have none.
RECORDS = [
    ("BU00010101", 270_753.06), ("BU00010102", 215_431.31), ("BU00010201", 81_250.00),
    ("BU00010101", 1_277_987.89), ("BU00010102", 1_840_454.97), ("BU00010202", 64_380.55),
    ("BU00010101", 561_192.32), ("BU00010102", 675_601.95), ("BU00010201", 93_011.20),
    ("BU00010101", 434_010.73), ("BU00010102", 244_782.76), ("BU00010202", 70_925.35),
    ("BU00010201", 55_400.10), ("BU00010202", 88_730.00), ("BU00010201", 61_999.99),
    ("BU00010202", 59_005.45),
]
RATE = tables.Member("meldingen_per_1000", "rate", 1000, 100)
SUM = tables.Member("waarde_per_inwoner", "sum", None, 100)


def _areas(buurt: str) -> list[str]:
    chain = [buurt]
    while chain[-1] in PARENTS.index:
        chain.append(PARENTS[chain[-1]])
    return chain


def _cells() -> pd.DataFrame:
    """The cells as the engine makes them: every level adds up its own records in record
    order (np.bincount), so a level's total is not the sum of its parts' to the last bit."""
    codes = list(dict.fromkeys([*PARENTS.index, *PARENTS.to_numpy()]))
    count = dict.fromkeys(codes, 0)
    total = dict.fromkeys(codes, 0.0)
    amounts: dict[str, list[float]] = {code: [] for code in codes}
    for buurt, amount in RECORDS:
        for area in _areas(buurt):
            count[area] += 1
            total[area] += amount
            amounts[area].append(amount)
    inhabitants = dict.fromkeys(codes, 0)
    for buurt, number in INHABITANTS.items():
        for area in _areas(buurt):
            inhabitants[area] += number
    frames = []
    for member in (RATE, SUM):
        frame = pd.DataFrame({"area_code": codes})
        frame["indicator"] = member.slug
        frame["vintage"], frame["year"], frame["sbi_section"] = 2024, 2021, ""
        frame["status"], frame["synthetic"] = "", True
        frame["numerator"] = frame["contributors"] = frame["area_code"].map(count).astype(float)
        frame["denominator"] = frame["area_code"].map(inhabitants).astype(float)
        tops = frame["area_code"].map(lambda code: sorted(amounts[code], reverse=True) + [0.0, 0.0])
        frame["total"] = frame["area_code"].map(total) if member is SUM else np.nan
        frame["top1"] = tops.str[0] if member is SUM else np.nan
        frame["top2"] = tops.str[1] if member is SUM else np.nan
        if member is RATE:
            frame["value"] = frame["numerator"] / frame["denominator"] * 1000
        else:
            frame["value"] = frame["area_code"].map(total) / frame["denominator"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_the_wijk_total_is_below_the_sum_of_its_buurten_by_round_off():
    cells = _cells()
    totals = cells[cells["indicator"] == SUM.slug].set_index("area_code")["total"]
    buurten = ["BU00010101", "BU00010102", "BU00010103", "BU00010104"]
    assert totals["WK000101"] - totals[buurten].sum() < -1e-9  # the case of WK034403


def test_sums_of_amounts_that_add_up_to_round_off_are_protected_in_whole_cents():
    cells = _cells()
    members = {RATE.slug: RATE, SUM.slug: SUM}
    result = tables.protect_table("meldingen", members, cells, PARENTS, rules.Parameters(), "salt")

    status = result.protected[result.protected["indicator"] == SUM.slug].set_index("area_code")["status"]
    assert status["BU00010103"] == status["BU00010104"] == "T"
    assert status["BU00010101"] == status["BU00010102"] == status["WK000101"] == "V"
    # The relation was kept (it holds to the cent), not left out to get past the contradiction.
    assert result.dropped_relations == 0
    audited = result.audit.set_index(["cell", "measure"])
    assert ("BU00010103|", "total") in audited.index
    assert audit_passes(result.audit)
    # Widths are reported in euros, as the amounts are.
    assert audited.loc[("BU00010103|", "total"), "upper"] == 0.0
