"""The attacker's LP audit (apps/disclosure/audit.py): hand-computed intervals and speed."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from apps.disclosure import audit, hierarchy, rules, secondary
from apps.disclosure.audit import _solve_component
from tests.disclosure.tables import cross_table, tree_table

INF = float("inf")


def cells_of(values: dict, statuses: dict, protection=1.0) -> pd.DataFrame:
    cells = pd.DataFrame({"cell": list(values), "value": list(values.values())})
    cells["status"] = cells["cell"].map(statuses).fillna("V")
    cells["protection"] = protection
    return cells


def bounds(result: pd.DataFrame) -> dict:
    return {
        cell: (low, high)
        for cell, low, high in result[["cell", "lower", "upper"]].itertuples(index=False)
    }


def test_two_suppressed_parts_of_a_published_total():
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"a": "A", "b": "D"})
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    # a + b = 10 - 5 = 5, both >= 0
    assert bounds(result) == {"a": (0, 5), "b": (0, 5)}
    assert result["width"].tolist() == [5, 5]
    assert result["passed"].all() and audit.audit_passes(result)
    assert result.columns.tolist()[:6] == ["cell", "lower", "upper", "width", "required", "passed"]


def test_a_lone_suppressed_part_is_recovered_exactly():
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"a": "A"})
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    assert bounds(result) == {"a": (3, 3)}
    assert result["width"].tolist() == [0]
    assert not audit.audit_passes(result)
    assert audit.audit_passes(audit.audit(cells.assign(protection=0.0), [("T", ["a", "b", "c"])]))


def test_a_lone_suppressed_total_is_recovered_by_addition():
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"T": "B"})
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    assert bounds(result) == {"T": (10, 10)}
    assert not audit.audit_passes(result)


def test_an_unbounded_interval_passes():
    # T has no total above it: with a suppressed too, T - a = b + c = 7 bounds neither from above
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"T": "D", "a": "A"})
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    assert bounds(result) == {"T": (7, INF), "a": (0, INF)}
    assert np.isinf(result["width"]).all()
    assert audit.audit_passes(result)


def test_the_required_protection_is_compared_with_the_width():
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"a": "A", "b": "D"})
    cells["protection"] = [0.0, 5.0, np.nan, 0.0]  # a needs exactly the width; NaN counts as 0
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    assert result["required"].tolist() == [5.0, 0.0]
    assert audit.audit_passes(result)
    cells["protection"] = [0.0, 5.5, np.nan, 0.0]
    result = audit.audit(cells, [("T", ["a", "b", "c"])])
    assert result["passed"].tolist() == [False, True]


def test_zeros_pin_a_suppressed_chain():
    # G = W1 + W2, W1 = b1 + b2, W2 = b3 + b4; suppressed W1, W2, b1, b3 (two per relation).
    # W1 = 5 + b1, W2 = 5 + b3 and W1 + W2 = 10, so b1 + b3 = 0: all four are exact.
    cells = cells_of(
        {"G": 10, "W1": 5, "W2": 5, "b1": 0, "b2": 5, "b3": 0, "b4": 5},
        {"W1": "A", "W2": "D", "b1": "D", "b3": "D"},
    )
    relations = [("G", ["W1", "W2"]), ("W1", ["b1", "b2"]), ("W2", ["b3", "b4"])]
    result = audit.audit(cells, relations)
    assert bounds(result) == {"W1": (5, 5), "W2": (5, 5), "b1": (0, 0), "b3": (0, 0)}
    assert result["component"].nunique() == 1
    # without the sign constraint the attacker learns nothing of W1
    loose = audit.audit(cells, relations, nonnegative=False)
    assert bounds(loose)["W1"] == (-INF, INF)


def test_a_chain_with_values_leaves_room():
    cells = cells_of(
        {"G": 20, "W1": 9, "W2": 11, "b1": 4, "b2": 5, "b3": 6, "b4": 5},
        {"W1": "A", "W2": "D", "b1": "D", "b3": "D"},
    )
    relations = [("G", ["W1", "W2"]), ("W1", ["b1", "b2"]), ("W2", ["b3", "b4"])]
    # W1 = 5 + b1, W2 = 5 + b3, b1 + b3 = 10
    assert bounds(audit.audit(cells, relations)) == {
        "W1": (5, 15),
        "W2": (5, 15),
        "b1": (0, 10),
        "b3": (0, 10),
    }


def test_two_dimensional_rectangle():
    cells, relations = cross_table(np.array([[5, 3], [4, 6], [7, 7]]))
    cells["status"] = (
        cells["cell"]
        .map({("r0", "c0"): "A", ("r0", "c1"): "D", ("r1", "c0"): "D", ("r1", "c1"): "D"})
        .fillna("V")
    )
    cells["protection"] = 1.0
    result = audit.audit(cells, relations)
    # a + b = 8, c + d = 10, a + c = 9, b + d = 9: a = t, b = 8 - t, c = 9 - t, d = 1 + t
    assert bounds(result) == {
        ("r0", "c0"): (0, 8),
        ("r0", "c1"): (0, 8),
        ("r1", "c0"): (1, 9),
        ("r1", "c1"): (1, 9),
    }


def test_components_are_solved_separately():
    cells = cells_of(
        {"T1": 10, "a": 3, "b": 2, "c": 5, "T2": 7, "d": 1, "e": 6, "x": 4},
        {"a": "A", "b": "D", "d": "A", "x": "D"},
    )
    result = audit.audit(cells, [("T1", ["a", "b", "c"]), ("T2", ["d", "e"])])
    labels = result.set_index("cell")["component"]
    assert labels["a"] == labels["b"]
    assert len({labels["a"], labels["d"], labels["x"]}) == 3
    # d alone in T2: exact; x is in no relation: bounded by 0 only
    assert bounds(result) == {"a": (0, 5), "b": (0, 5), "d": (1, 1), "x": (0, INF)}
    assert result["passed"].tolist() == [True, True, False, True]


def test_not_available_cells_are_unknown_but_not_reported():
    cells = cells_of({"T": 20, "a": 6, "n": np.nan, "c": 8}, {"a": "A", "n": "N"})
    result = audit.audit(cells, [("T", ["a", "n", "c"])])
    assert bounds(result) == {"a": (0, 12)}


def test_secret_at_source_cells_are_reported():
    cells = cells_of({"T": 20, "a": 6, "s": np.nan, "c": 8}, {"a": "A", "s": "S"})
    result = audit.audit(cells, [("T", ["a", "s", "c"])])
    assert bounds(result) == {"a": (0, 12), "s": (0, 12)}


def test_inconsistent_published_values_fail_their_component():
    cells = cells_of(
        {"T": 3, "a": 2, "b": 1, "c": 5, "U": 4, "d": 1, "e": 3},
        {"a": "A", "b": "D", "d": "A", "e": "D"},
    )
    result = audit.audit(cells, [("T", ["a", "b", "c"]), ("U", ["d", "e"])])
    assert result.set_index("cell")["passed"].to_dict() == {
        "a": False,
        "b": False,
        "d": True,
        "e": True,
    }
    assert result.set_index("cell").loc["a", ["lower", "upper"]].isna().all()


def test_inconsistent_multi_relation_component_fails():
    cells, relations = cross_table(np.array([[5, 3], [4, 6]]))
    cells.loc[cells["cell"] == ("R", "C"), "value"] = 99  # the grand total no longer adds up
    cells["status"] = (
        cells["cell"]
        .map({("r0", "c0"): "A", ("r0", "c1"): "D", ("r1", "c0"): "D", ("r1", "c1"): "D"})
        .fillna("V")
    )
    cells["protection"] = 1.0
    assert audit.audit(cells, relations)[
        "passed"
    ].all()  # the grand total's relations hold no unknown
    cells.loc[cells["cell"] == ("r0", "C"), "value"] = 50  # a row total that contradicts its column
    result = audit.audit(cells, relations)
    assert not result["passed"].any() and result["lower"].isna().all()


def test_result_is_indexed_like_the_suppressed_rows():
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"a": "A", "b": "D"})
    cells.index = [10, 11, 12, 13]
    assert audit.audit(cells, [("T", ["a", "b", "c"])]).index.tolist() == [11, 12]


def test_nothing_suppressed_passes():
    cells = cells_of({"T": 10, "a": 3, "b": 7}, {})
    result = audit.audit(cells, [("T", ["a", "b"])])
    assert result.empty and audit.audit_passes(result)


def test_invalid_input():
    relations = [("T", ["a", "b", "c"])]
    cells = cells_of({"T": 10, "a": 3, "b": 2, "c": 5}, {"a": "A", "b": "D"})
    with pytest.raises(KeyError, match="protection"):
        audit.audit(cells.drop(columns="protection"), relations)
    with pytest.raises(ValueError, match="unknown status"):
        audit.audit(cells.assign(status=["V", "A", "X", "V"]), relations)
    published_without_value = cells_of({"T": 10, "a": 3, "b": np.nan, "c": 5}, {"a": "A"})
    with pytest.raises(ValueError, match="no value"):
        audit.audit(published_without_value, relations)


def reference_bounds(matrix: np.ndarray, rhs: np.ndarray, nonnegative: bool):
    """Two plain LPs per variable: the textbook attacker, to check the shortcuts against."""
    k = matrix.shape[1]
    bounds = (0, None) if nonnegative else (None, None)
    lower, upper = np.full(k, np.nan), np.full(k, np.nan)
    for i in range(k):
        for sign, out in ((1.0, lower), (-1.0, upper)):
            objective = np.zeros(k)
            objective[i] = sign
            res = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
            if res.status == 2:
                return None
            out[i] = res.x[i] if res.status == 0 else -sign * np.inf
    return lower, upper


def assert_same_bounds(matrix, rhs, nonnegative):
    lb = 0.0 if nonnegative else -np.inf
    lower, upper, feasible = _solve_component(csr_matrix(matrix), rhs, lb)
    reference = reference_bounds(matrix, rhs, nonnegative)
    assert feasible == (reference is not None)
    if feasible:
        np.testing.assert_allclose(lower, reference[0], atol=1e-7)
        np.testing.assert_allclose(upper, reference[1], atol=1e-7)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from([1.0, -1.0]), min_size=1, max_size=6),
    st.integers(-20, 20),
    st.booleans(),
)
def test_closed_form_of_one_equation_matches_the_lp(signs, rhs, nonnegative):
    assert_same_bounds(np.array([signs]), np.array([float(rhs)]), nonnegative)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_shortcuts_of_the_lp_path_match_plain_lps(data):
    """Random tables (cross tables with zeros, trees), random unknowns: the component solver
    (outer bounds, rays, aggregated objectives) gives the same bounds as two LPs per cell."""
    if data.draw(st.booleans()):
        n_rows, n_columns = data.draw(st.integers(2, 4)), data.draw(st.integers(2, 4))
        interior = np.array(
            data.draw(
                st.lists(
                    st.integers(0, 6), min_size=n_rows * n_columns, max_size=n_rows * n_columns
                )
            )
        ).reshape(n_rows, n_columns)
        cells, relations = cross_table(interior)
    else:
        leaves = data.draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
        shape = data.draw(
            st.sampled_from(
                [
                    (3, [(3, None), (2, None), (4, None)]),  # total, 3 parts, 9 sub-parts
                    (2, [(2, [(2, None), (3, None)]), (2, [(2, None), (2, None)])]),  # 3 levels
                ]
            )
        )
        cells, relations = tree_table(leaves, shape)
    free = np.array(data.draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))))
    if data.draw(st.booleans()):  # sometimes inconsistent published values
        cells.loc[data.draw(st.sampled_from(list(cells.index))), "value"] += 1
    structure = hierarchy.Structure.build(cells["cell"], relations)
    values = cells["value"].to_numpy(dtype=float)
    known = ~free[structure.member_cell]
    rhs = -np.bincount(
        structure.member_relation[known],
        weights=structure.coefficients[known] * values[structure.member_cell[known]],
        minlength=structure.n_relations,
    )
    unknown = np.flatnonzero(free)
    rows = np.unique(structure.member_relation[free[structure.member_cell]])
    if unknown.size == 0 or rows.size == 0:
        return
    matrix = np.zeros((rows.size, unknown.size))
    position = {cell: j for j, cell in enumerate(unknown)}
    for m in np.flatnonzero(free[structure.member_cell]):
        matrix[
            np.searchsorted(rows, structure.member_relation[m]), position[structure.member_cell[m]]
        ] = structure.coefficients[m]
    assert_same_bounds(matrix, rhs[rows], nonnegative=data.draw(st.booleans()))


def test_national_sized_hierarchy_passes_after_secondary_suppression():
    """12 provincies, 336 gemeenten, 3,360 wijken, 13,440 buurten (about the real sizes).
    Its speed is measured by ``make bench`` (bench/disclosure.py), not here."""
    rng = np.random.default_rng(7)
    parent_of = {}
    for p in range(12):
        parent_of[f"PV{p}"] = "NL"
        for g in range(28):
            parent_of[f"GM{p}.{g}"] = f"PV{p}"
            for w in range(10):
                parent_of[f"WK{p}.{g}.{w}"] = f"GM{p}.{g}"
                for b in range(4):
                    parent_of[f"BU{p}.{g}.{w}.{b}"] = f"WK{p}.{g}.{w}"
    relations = hierarchy.relations_from_parents(parent_of)
    values = {
        child: int(v)
        for child, v in zip(
            [c for c in parent_of if c.startswith("BU")],
            rng.poisson(rng.gamma(1.5, 6, 13_440)),
            strict=True,
        )
    }
    for total, parts in reversed(relations):
        values[total] = sum(values[p] for p in parts)
    cells = pd.DataFrame({"cell": list(values), "value": list(values.values())})
    cells["count"] = cells["value"]
    params = rules.Parameters()

    cells["status"] = rules.primary_status(cells, params)
    protection = rules.required_protection(cells, cells["status"], params)
    cells["status"] = secondary.secondary_suppression(cells, relations, protection=protection)
    cells["protection"] = rules.required_protection(cells, cells["status"], params)
    result = audit.audit(cells, relations)

    assert (cells["status"] == "A").sum() > 1000 and (cells["status"] == "D").sum() > 500
    assert audit.audit_passes(result)


def test_cross_table_area_by_branch_passes_after_secondary_suppression():
    """A 2-D table: 60 gemeenten x 12 branches with margins, many small cells."""
    rng = np.random.default_rng(3)
    cells, relations = cross_table(rng.poisson(6, size=(60, 12)))
    cells["count"] = cells["value"]
    params = rules.Parameters()
    cells["status"] = rules.primary_status(cells, params)
    protection = rules.required_protection(cells, cells["status"], params)
    cells["status"] = secondary.secondary_suppression(cells, relations, protection=protection)
    cells["protection"] = rules.required_protection(cells, cells["status"], params)
    result = audit.audit(cells, relations)
    assert (cells["status"] == "A").sum() > 20
    assert audit.audit_passes(result)
    assert secondary.singleton_relations(cells, relations) == []


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_bounds_propagation_on_trees_matches_plain_lps(data):
    """Tree-shaped components are solved by propagating bounds, not by LP: the same intervals
    as two LPs per cell, also where published values contradict the relations."""
    leaves = data.draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
    shape = data.draw(
        st.sampled_from(
            [
                (3, [(3, None), (2, None), (4, None)]),
                (2, [(2, [(2, None), (3, None)]), (2, [(2, None), (2, None)])]),
            ]
        )
    )
    cells, relations = tree_table(leaves, shape)
    free = np.array(data.draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells))))
    if data.draw(st.booleans()):
        cells.loc[data.draw(st.sampled_from(list(cells.index))), "value"] += 1
    nonnegative = data.draw(st.booleans())
    structure = hierarchy.Structure.build(cells["cell"], relations)
    values = cells["value"].to_numpy(dtype=float)
    result = audit.compute_intervals(structure, values, free, nonnegative=nonnegative)
    known = ~free[structure.member_cell]
    rhs = -np.bincount(
        structure.member_relation[known],
        weights=structure.coefficients[known] * values[structure.member_cell[known]],
        minlength=structure.n_relations,
    )
    for label in np.unique(result.component[free]):
        unknown = np.flatnonzero(free & (result.component == label))
        in_component = np.isin(structure.member_cell, unknown)
        rows = np.unique(structure.member_relation[in_component])
        if rows.size == 0:
            continue
        matrix = np.zeros((rows.size, unknown.size))
        for m in np.flatnonzero(in_component):
            matrix[
                np.searchsorted(rows, structure.member_relation[m]),
                np.searchsorted(unknown, structure.member_cell[m]),
            ] = structure.coefficients[m]
        reference = reference_bounds(matrix, rhs[rows], nonnegative)
        assert result.feasible[unknown].all() == (reference is not None)
        if reference is not None:
            np.testing.assert_allclose(result.lower[unknown], reference[0], atol=1e-7)
            np.testing.assert_allclose(result.upper[unknown], reference[1], atol=1e-7)


def test_with_required_widths_a_passing_cell_gets_a_witnessed_interval():
    """With the required protection given, cells are settled by two solutions far enough apart
    (fewer LPs); a failing cell still gets its exact interval."""
    rng = np.random.default_rng(5)
    cells, relations = cross_table(rng.poisson(4, size=(6, 5)))
    cells["count"] = cells["value"]
    params = rules.Parameters()
    cells["status"] = rules.primary_status(cells, params)
    cells["status"] = secondary.secondary_suppression(
        cells, relations, protection=rules.required_protection(cells, cells["status"], params)
    )
    cells["protection"] = rules.required_protection(cells, cells["status"], params)
    quick, exact = audit.audit(cells, relations), audit.audit(cells, relations, exact=True)
    assert quick["passed"].tolist() == exact["passed"].tolist()
    assert (quick["lower"] >= exact["lower"] - 1e-9).all() and (quick["upper"] <= exact["upper"] + 1e-9).all()
    assert (quick["width"] >= quick["required"] - 1e-6).all()
