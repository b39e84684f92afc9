"""Building and compiling additive relations (apps/disclosure/hierarchy.py)."""

import numpy as np
import pandas as pd
import pytest

from apps.disclosure import hierarchy


def test_relations_from_parents_area_hierarchy():
    parent_of = {
        "BU03080000": "WK030800",
        "BU03080001": "WK030800",
        "BU03080100": "WK030801",
        "WK030800": "GM0308",
        "WK030801": "GM0308",
        "GM0308": "PV26",
        "GM0344": "PV26",
        "PV26": "NL01",
        "NL01": None,
    }
    assert hierarchy.relations_from_parents(parent_of) == [
        ("WK030800", ["BU03080000", "BU03080001"]),
        ("WK030801", ["BU03080100"]),
        ("GM0308", ["WK030800", "WK030801"]),
        ("PV26", ["GM0308", "GM0344"]),
        ("NL01", ["PV26"]),
    ]


def test_relations_from_parents_accepts_a_series():
    sbi = pd.Series({"45": "G", "46": "G", "47": "G", "55": "I", "G": "ALL", "I": "ALL"})
    assert hierarchy.relations_from_parents(sbi) == [
        ("G", ["45", "46", "47"]),
        ("I", ["55"]),
        ("ALL", ["G", "I"]),
    ]


def test_cross_relations_hold_in_both_directions():
    relations = hierarchy.cross_relations(
        [("GM", ["WK1", "WK2"])], [("G", ["45", "47"])], ["GM", "WK1", "WK2"], ["G", "45", "47"]
    )
    assert relations == [
        (("GM", "G"), [("WK1", "G"), ("WK2", "G")]),
        (("GM", "45"), [("WK1", "45"), ("WK2", "45")]),
        (("GM", "47"), [("WK1", "47"), ("WK2", "47")]),
        (("GM", "G"), [("GM", "45"), ("GM", "47")]),
        (("WK1", "G"), [("WK1", "45"), ("WK1", "47")]),
        (("WK2", "G"), [("WK2", "45"), ("WK2", "47")]),
    ]
    named = hierarchy.cross_relations(
        [("GM", ["WK1"])], [], ["GM", "WK1"], ["45"], cell=lambda r, c: f"{r}|{c}"
    )
    assert named == [("GM|45", ["WK1|45"])]


def test_structure_compiles_memberships():
    cells = ["T", "a", "b", ("x", 1)]
    structure = hierarchy.Structure.build(cells, [("T", ["a", "b"]), ("a", [("x", 1)])])
    assert structure.n_cells == 4 and structure.n_relations == 2
    assert structure.member_cell.tolist() == [0, 1, 2, 1, 3]
    assert structure.member_relation.tolist() == [0, 0, 0, 1, 1]
    assert structure.member_is_total.tolist() == [True, False, False, True, False]
    assert structure.coefficients.tolist() == [1, -1, -1, 1, -1]
    assert structure.relation_sizes().tolist() == [3, 2]
    assert structure.count_in_relations(np.array([False, True, False, False])).tolist() == [1, 1]
    memberships, owner = structure.memberships_of_cells(np.array([1, 3]))
    assert sorted(structure.member_relation[memberships].tolist()) == [0, 1, 1]
    assert owner.tolist() == [0, 0, 1]


@pytest.mark.parametrize(
    ("cells", "relations", "error", "match"),
    [
        (["T", "a"], [("T", ["a", "b"])], KeyError, "not in the cells frame"),
        (["T", "a"], [("T", ["a", "a"])], ValueError, "twice"),
        (["T", "a"], [("T", ["T", "a"])], ValueError, "twice"),
        (["T", "a"], [("T", [])], ValueError, "at least one part"),
        (["T", "a", "a"], [("T", ["a"])], ValueError, "unique"),
    ],
)
def test_structure_rejects_bad_relations(cells, relations, error, match):
    with pytest.raises(error, match=match):
        hierarchy.Structure.build(cells, relations)


def test_additivity_errors():
    cells = pd.DataFrame({"cell": ["GM", "WK1", "WK2", "W"], "value": [10, 4, 5, 5]})
    errors = hierarchy.additivity_errors(cells, [("GM", ["WK1", "WK2"]), ("W", ["WK2"])])
    assert errors.to_dict("records") == [{"total": "GM", "value": 10.0, "sum_of_parts": 9.0}]


def test_expand_ranges():
    flat, owner = hierarchy.expand_ranges(np.array([2, 7, 4]), np.array([4, 7, 6]))
    assert flat.tolist() == [2, 3, 4, 5]
    assert owner.tolist() == [0, 0, 2, 2]
