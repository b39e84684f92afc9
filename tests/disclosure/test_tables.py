"""Protection of one count table and its indicators (apps/disclosure/tables.py), by hand.

The geography: NL ← PV1 ← GM1 ← {WK1 ← {BU1, BU2, BU3}, WK2 ← {BU4, BU5}}.
"""

import numpy as np
import pandas as pd
import pytest

from apps.disclosure import rules, tables
from apps.disclosure.audit import audit_passes

PARENT = pd.Series(
    {"PV1": "NL01", "GM1": "PV1", "WK1": "GM1", "WK2": "GM1", "BU1": "WK1", "BU2": "WK1", "BU3": "WK1",
     "BU4": "WK2", "BU5": "WK2"},
    dtype=object,
)
SALT = "test-rounding-key"
PARAMS = rules.Parameters()


def renamed(parent: pd.Series) -> pd.Series:
    """The same tree with real code prefixes, so levels can be told."""
    names = {"NL01": "NL01", "PV1": "PV01", "GM1": "GM0001", "WK1": "WK000101", "WK2": "WK000102"}
    names.update({f"BU{i}": f"BU0001010{i}" for i in range(1, 6)})
    return pd.Series({names[c]: names[p] for c, p in parent.items()}, dtype=object)


PARENTS = renamed(PARENT)
CODES = ["NL01", "PV01", "GM0001", "WK000101", "WK000102"] + [f"BU0001010{i}" for i in range(1, 6)]


def counts_cells(slug, buurt_counts, buurt_contributors=None, denominators=None, **extra):
    """Cells of one indicator in 2024: buurt counts add up to wijk, gemeente, provincie, NL."""
    b = dict(zip(CODES[5:], buurt_counts, strict=True))
    wk1 = sum(b[c] for c in CODES[5:8])
    wk2 = sum(b[c] for c in CODES[8:])
    values = {"NL01": wk1 + wk2, "PV01": wk1 + wk2, "GM0001": wk1 + wk2, "WK000101": wk1, "WK000102": wk2, **b}
    contributors = dict(values)
    if buurt_contributors is not None:
        contributors.update(dict(zip(CODES[5:], buurt_contributors, strict=True)))
    frame = pd.DataFrame(
        {
            "indicator": slug,
            "area_code": CODES,
            "vintage": 2024,
            "year": 2024,
            "sbi_section": "",
            "value": [float(values[c]) for c in CODES],
            "status": "",
            "numerator": [float(values[c]) for c in CODES],
            "contributors": [float(contributors[c]) for c in CODES],
            "total": np.nan,
            "top1": np.nan,
            "top2": np.nan,
            "denominator": [float((denominators or {}).get(c, np.nan)) for c in CODES],
            "synthetic": True,
        }
    )
    for column, value in extra.items():
        frame[column] = value
    return frame


COUNT = tables.Member("aantal", "count", None, None)


def by_code(protected: pd.DataFrame, slug: str, column: str = "status") -> dict:
    part = protected[protected["indicator"] == slug]
    return dict(zip(part["area_code"], part[column], strict=True))


def test_a_buurt_with_two_contributors_is_a_and_a_sibling_hides_it():
    cells = counts_cells("aantal", [2, 10, 7, 20, 30])
    result = tables.protect_table("t", {"aantal": COUNT}, cells, PARENTS, PARAMS, SALT)

    status = by_code(result.protected, "aantal")
    assert status["BU00010101"] == "A"
    # WK1 = BU1 + BU2 + BU3 is published, so one more buurt of WK1 must go: the smaller one.
    assert status["BU00010103"] == "D"
    assert status["BU00010102"] == "V"
    assert [status[c] for c in CODES[:5]] == ["V"] * 5  # totals stay published
    assert audit_passes(result.audit)
    assert set(result.audit["cell"]) == {"BU00010101|", "BU00010103|"}
    # Suppressed cells have no value; published counts are multiples of 5 near the truth.
    values = by_code(result.protected, "aantal", "value")
    assert np.isnan(values["BU00010101"]) and np.isnan(values["BU00010103"])
    truth = {"NL01": 69, "PV01": 69, "GM0001": 69, "WK000101": 19, "WK000102": 50, "BU00010102": 10,
             "BU00010104": 20, "BU00010105": 30}
    for code, true in truth.items():
        assert values[code] % 5 == 0 and abs(values[code] - true) < 5, code


def test_rounding_is_fixed_per_cell_and_depends_on_the_secret_key():
    cells = counts_cells("aantal", [11, 12, 13, 14, 16])
    first = tables.protect_table("t", {"aantal": COUNT}, cells, PARENTS, PARAMS, SALT).protected
    again = tables.protect_table("t", {"aantal": COUNT}, cells, PARENTS, PARAMS, SALT).protected
    assert first["value"].tolist() == again["value"].tolist()
    other_keys = [
        tables.protect_table("t", {"aantal": COUNT}, cells, PARENTS, PARAMS, f"key-{i}").protected["value"].tolist()
        for i in range(8)
    ]
    assert any(values != first["value"].tolist() for values in other_keys)


def test_an_indicator_inherits_the_suppression_of_another_on_the_same_table():
    """A rate per 1,000 inhabitants and the count share the table: a buurt of 60 inhabitants
    makes the rate T there, and the count shows D (it would give the rate away)."""
    inhabitants = {c: 1000.0 for c in CODES} | {"BU00010104": 60.0}
    rate = tables.Member("per_1000", "rate", 1000, 100)
    cells = pd.concat(
        [
            counts_cells("aantal", [10, 12, 9, 5, 30]),
            counts_cells("per_1000", [10, 12, 9, 5, 30], denominators=inhabitants),
        ],
        ignore_index=True,
    )
    result = tables.protect_table("t", {"aantal": COUNT, "per_1000": rate}, cells, PARENTS, PARAMS, SALT)
    count, per_1000 = by_code(result.protected, "aantal"), by_code(result.protected, "per_1000")
    assert per_1000["BU00010104"] == "T" and count["BU00010104"] == "D"
    assert per_1000["BU00010105"] == "D" and count["BU00010105"] == "D"  # WK2 has only two buurten
    assert audit_passes(result.audit)
    # The rate is computed from the rounded count: value = rounded count / inhabitants * 1000.
    counts = by_code(result.protected, "aantal", "value")
    rates = by_code(result.protected, "per_1000", "value")
    assert rates["BU00010101"] == pytest.approx(counts["BU00010101"] / 1000 * 1000)
    assert rates["GM0001"] == pytest.approx(counts["GM0001"] / 1000 * 1000)


def test_a_share_of_the_whole_group_is_b_and_shares_never_pass_100():
    share = tables.Member("aandeel", "share", 100, 20, denominator_counts="alle")
    groups = {"NL01": 200, "PV01": 200, "GM0001": 200, "WK000101": 110, "WK000102": 90, "BU00010101": 25,
              "BU00010102": 45, "BU00010103": 40, "BU00010104": 30, "BU00010105": 60}
    cells = counts_cells("aandeel", [25, 4, 6, 3, 7], denominators=groups)
    result = tables.protect_table("t", {"aandeel": share}, cells, PARENTS, PARAMS, SALT)
    status = by_code(result.protected, "aandeel")
    assert status["BU00010101"] == "B"  # 25 of 25: all of them
    assert audit_passes(result.audit)
    values = pd.Series(by_code(result.protected, "aandeel", "value")).dropna()
    assert (values <= 100).all() and (values >= 0).all()


def test_sums_of_amounts_get_dominance_and_are_audited_on_the_amounts():
    amount = tables.Member("bedrag", "sum", None, None)
    cells = counts_cells("bedrag", [5, 6, 7, 8, 9])
    totals = {"BU00010101": 1000.0, "BU00010102": 500.0, "BU00010103": 600.0, "BU00010104": 700.0,
              "BU00010105": 800.0}
    cells["total"] = cells["area_code"].map(totals)
    wk1, wk2 = 2100.0, 1500.0
    cells.loc[cells["area_code"] == "WK000101", "total"] = wk1
    cells.loc[cells["area_code"] == "WK000102", "total"] = wk2
    cells.loc[cells["area_code"].isin(["NL01", "PV01", "GM0001"]), "total"] = wk1 + wk2
    cells["top1"] = cells["total"] * 0.2
    cells["top2"] = cells["total"] * 0.1
    cells.loc[cells["area_code"] == "BU00010101", ["top1", "top2"]] = [900.0, 50.0]  # one dominates
    cells["value"] = cells["total"] / 1000
    result = tables.protect_table("t", {"bedrag": amount}, cells, PARENTS, PARAMS, SALT)
    status = by_code(result.protected, "bedrag")
    assert status["BU00010101"] == "B"
    assert list(status.values()).count("D") >= 1
    assert set(result.audit["measure"]) == {"count", "total"}
    assert audit_passes(result.audit)
    # Sums of amounts are published as computed, not rounded.
    assert by_code(result.protected, "bedrag", "value")["GM0001"] == pytest.approx(3.6)


def test_a_relation_that_does_not_add_up_is_left_out():
    """Distinct persons: one person convicted in two buurten of WK1 counts once in WK1."""
    cells = counts_cells("aantal", [10, 12, 9, 5, 30])
    cells.loc[cells["area_code"] == "WK000101", ["numerator", "value"]] = 30.0  # 31 in its buurten
    result = tables.protect_table("t", {"aantal": COUNT}, cells, PARENTS, PARAMS, SALT)
    # WK1 = its buurten and GM1 = WK1 + WK2 both fail; the others hold.
    assert result.dropped_relations == 2


def test_relations_cover_areas_and_sections():
    cells = pd.DataFrame(
        {"area_code": ["NL01", "PV01", "NL01", "PV01", "NL01", "PV01"], "sbi_section": ["", "", "A", "A", "B", "B"]}
    )
    relations = tables.table_relations(cells, pd.Series({"PV01": "NL01"}, dtype=object))
    as_sets = {(total, tuple(sorted(parts))) for total, parts in relations}
    assert as_sets == {
        ("NL01|", ("PV01|",)), ("NL01|A", ("PV01|A",)), ("NL01|B", ("PV01|B",)),
        ("NL01|", ("NL01|A", "NL01|B")), ("PV01|", ("PV01|A", "PV01|B")),
    }
