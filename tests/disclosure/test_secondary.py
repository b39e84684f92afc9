"""Secondary suppression (apps/disclosure/secondary.py): hand tables and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from apps.disclosure import audit, rules, secondary
from apps.disclosure.audit import InconsistentTable
from tests.disclosure.tables import (
    WORKED_PARAMETERS,
    cross_table,
    tree_table,
    worked_example,
    worked_relations,
)


def table(values: dict, statuses: dict | None = None) -> pd.DataFrame:
    cells = pd.DataFrame({"cell": list(values), "value": list(values.values())})
    cells["status"] = cells["cell"].map(statuses or {}).fillna("V")
    return cells


def suppressed(status: pd.Series, cells: pd.DataFrame, code: str = "D") -> set:
    return set(cells.loc[status == code, "cell"])


# --- the worked example of BRIEF §5 ------------------------------------------------------------


@pytest.mark.parametrize("with_protection", [False, True])
def test_worked_example_two_secondary_cells_then_the_audit_passes(with_protection):
    cells = worked_example()
    cells["status"] = rules.primary_status(cells, WORKED_PARAMETERS)
    cells["protection"] = rules.required_protection(
        cells, cells["status"], WORKED_PARAMETERS, value="total"
    )
    relations = worked_relations()

    status = secondary.secondary_suppression(
        cells, relations, protection="protection" if with_protection else None
    )

    assert suppressed(status, cells, "A") == {("r1", "c1")}
    assert suppressed(status, cells, "B") == {("r2", "c2")}
    # each row has two cells: the other cell of each row is the only part that closes it; the
    # columns then hold two suppressed cells each. Suppressing a row total instead would spread
    # to the grand total.
    assert suppressed(status, cells, "D") == {("r1", "c2"), ("r2", "c1")}
    assert (status == "V").sum() == 8
    assert secondary.singleton_relations(cells, relations, status) == []

    cells["status"] = status
    result = audit.audit(cells, relations)
    assert audit.audit_passes(result)
    assert len(result) == 4
    # a + b = 80 (row 1), c + d = 100 (row 2), a + c = 90 and b + d = 90 (columns minus row 3)
    bounds = {
        cell: (low, high)
        for cell, low, high in result[["cell", "lower", "upper"]].itertuples(index=False)
    }
    assert bounds == {
        ("r1", "c1"): (0, 80),
        ("r1", "c2"): (0, 80),
        ("r2", "c1"): (10, 90),
        ("r2", "c2"): (10, 90),
    }


# --- the heuristic on small hand tables --------------------------------------------------------


def test_smallest_part_not_the_total():
    cells = table({"T": 18, "a": 5, "b": 9, "c": 4}, {"a": "A"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])])
    assert suppressed(status, cells) == {"c"}
    assert status.tolist() == ["V", "A", "V", "D"]


def test_a_zero_part_is_chosen_last():
    cells = table({"T": 12, "a": 5, "b": 0, "c": 7}, {"a": "A"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])])
    assert suppressed(status, cells) == {"c"}


def test_zero_parts_only_still_close_the_relation():
    cells = table({"T": 5, "a": 5, "b": 0, "c": 0}, {"a": "A"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])])
    assert suppressed(status, cells) == {"b"}  # a part before the total; then the frame order


def test_a_suppressed_total_takes_its_smallest_part_with_it():
    cells = table({"T": 20, "a": 6, "b": 3, "c": 11}, {"T": "B"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])])
    assert suppressed(status, cells) == {"b"}


def test_two_suppressed_cells_need_nothing_more():
    cells = table({"T": 20, "a": 6, "b": 3, "c": 11}, {"a": "A", "c": "T"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])])
    assert status.tolist() == ["V", "A", "V", "T"]


def test_suppression_spreads_down_the_hierarchy_until_stable():
    # G = W1 + W2; W1 = b1 + b2 + b3; W2 = b4 + b5 + b6. W1 itself is unsafe.
    cells = table(
        {"G": 30, "W1": 2, "W2": 28, "b1": 1, "b2": 1, "b3": 0, "b4": 10, "b5": 7, "b6": 11},
        {"W1": "A", "b1": "A", "b2": "A"},
    )
    relations = [("G", ["W1", "W2"]), ("W1", ["b1", "b2", "b3"]), ("W2", ["b4", "b5", "b6"])]
    status = secondary.secondary_suppression(cells, relations)
    # W1 alone in G: W2 (the only part); W2 alone as total of its buurten: its smallest, b5
    assert suppressed(status, cells) == {"W2", "b5"}
    assert secondary.singleton_relations(cells, relations, status) == []


def test_prefers_a_part_that_needs_no_follow_up_suppression():
    # W1 is unsafe. W3 is smaller than W2, but W2 already has two suppressed buurten, so
    # suppressing W2 needs nothing more, while W3 would need one of its buurten too.
    cells = table(
        {
            "G": 115,
            "W1": 5,
            "W2": 100,
            "W3": 10,
            "b1": 3,
            "b2": 2,
            "b3": 1,
            "b4": 2,
            "b5": 97,
            "b6": 4,
            "b7": 6,
        },
        {"W1": "A", "b1": "A", "b2": "A", "b3": "A", "b4": "A"},
    )
    relations = [
        ("G", ["W1", "W2", "W3"]),
        ("W1", ["b1", "b2"]),
        ("W2", ["b3", "b4", "b5"]),
        ("W3", ["b6", "b7"]),
    ]
    status = secondary.secondary_suppression(cells, relations)
    assert suppressed(status, cells) == {"W2"}


def test_statuses_of_the_input_are_kept_and_the_index_too():
    cells = table({"T": 20, "a": 6, "b": 3, "c": 11, "d": 0}, {"a": "S", "c": "N", "d": "D"})
    cells.index = [5, 6, 7, 8, 9]
    status = secondary.secondary_suppression(cells, [("T", ["a", "b", "c", "d"])])
    assert status.index.tolist() == [5, 6, 7, 8, 9]
    assert status.tolist() == ["V", "S", "V", "N", "D"]


def test_a_not_available_cell_hides_its_neighbour():
    cells = table({"T": 20, "a": 6, "n": np.nan, "c": 8}, {"a": "A", "n": "N"})
    status = secondary.secondary_suppression(cells, [("T", ["a", "n", "c"])])
    assert status.tolist() == ["V", "A", "N", "V"]


def test_protection_mode_repairs_a_pattern_pinned_by_zeros():
    # a 2x2 table whose other cells are 0: the structural pattern (the rectangle) leaves a
    # exactly recoverable, because zeros cannot go lower.
    cells, relations = cross_table(np.array([[5, 0], [0, 0]]))
    cells.loc[cells["cell"] == ("r0", "c0"), "status"] = "A"
    structural = secondary.secondary_suppression(cells, relations)
    assert suppressed(structural, cells) == {("r0", "c1"), ("r1", "c0"), ("r1", "c1")}
    assert secondary.singleton_relations(cells, relations, structural) == []
    pinned = audit.audit(cells.assign(status=structural, protection=1.0), relations)
    assert pinned.set_index("cell").loc[[("r0", "c0")], "width"].tolist() == [0.0]
    assert not audit.audit_passes(pinned)

    # the A cell needs 1, the D cells nothing of their own
    repaired = secondary.secondary_suppression(cells, relations, protection=1.0)
    assert secondary.singleton_relations(cells, relations, repaired) == []
    needs = np.where(repaired == "A", 1.0, 0.0)
    assert audit.audit_passes(
        audit.audit(cells.assign(status=repaired, protection=needs), relations)
    )
    assert not audit.audit_passes(
        audit.audit(cells.assign(status=repaired, protection=1.0), relations)
    )

    # D cells that must be protected as well
    strict = secondary.secondary_suppression(
        cells, relations, protection=1.0, secondary_protection=1.0
    )
    assert audit.audit_passes(audit.audit(cells.assign(status=strict, protection=1.0), relations))


def test_protection_from_a_series_and_secondary_protection():
    cells = table({"T": 12, "a": 5, "b": 0, "c": 7}, {"a": "A"})
    protection = pd.Series([0.0, 1.0, 0.0, 0.0], index=cells.index)
    status = secondary.secondary_suppression(
        cells, [("T", ["a", "b", "c"])], protection=protection, secondary_protection=1.0
    )
    assert suppressed(status, cells) == {"c"}


def test_protection_mode_refuses_inconsistent_tables():
    cells = table({"T": 3, "a": 2, "b": 1, "c": 5}, {"a": "A"})  # 3 != 2 + 1 + 5
    with pytest.raises(InconsistentTable):
        secondary.secondary_suppression(cells, [("T", ["a", "b", "c"])], protection=1.0)


def test_missing_columns():
    with pytest.raises(KeyError, match="status"):
        secondary.secondary_suppression(pd.DataFrame({"cell": ["T"], "value": [1]}), [])


def test_information_loss_per_level():
    cells = pd.DataFrame(
        {
            "cell": ["NL", "GM1", "GM2", "WK1", "WK2", "WK3", "WK4"],
            "level": ["land", "gemeente", "gemeente", "wijk", "wijk", "wijk", "wijk"],
            "value": [40, 10, 30, 2, 8, 20, 10],
            "status": ["V", "V", "V", "A", "D", "V", "V"],
        }
    )
    loss = secondary.information_loss(cells)
    assert loss.index.tolist() == ["land", "gemeente", "wijk"]
    assert loss.loc["wijk", ["cells", "suppressed", "primary", "secondary"]].tolist() == [
        4,
        2,
        1,
        1,
    ]
    assert loss.loc["wijk", "share_suppressed"] == 0.5
    assert loss.loc["wijk", "value_share_suppressed"] == 0.25
    assert loss.loc["gemeente", "share_suppressed"] == 0.0
    no_values = secondary.information_loss(cells, value=None)
    assert "value_share_suppressed" not in no_values


# --- properties on random tables ---------------------------------------------------------------


@st.composite
def hierarchical_tables(draw, positive: bool = False):
    """A total, 2-6 parts, each with 2-6 sub-parts (and 2-6 sub-sub-parts at depth 3); random
    counts (zeros frequent unless ``positive``), random primary suppressions of non-empty cells."""
    depth = draw(st.sampled_from([2, 3]))

    def shape(level):
        if level == depth:
            return None
        count = draw(st.integers(2, 6 if level < 2 else 3))
        return count, [shape(level + 1) for _ in range(count)]

    branching = shape(0)

    def leaves(node):
        return 1 if node is None else sum(leaves(child) for child in node[1])

    count = st.integers(1, 30) if positive else st.one_of(st.just(0), st.integers(1, 30))
    n = leaves(branching)
    cells, relations = tree_table(draw(st.lists(count, min_size=n, max_size=n)), branching)
    candidates = cells.index[cells["value"] >= 1]
    assume(len(candidates) > 0)
    chosen = draw(st.lists(st.sampled_from(list(candidates)), min_size=1, max_size=6, unique=True))
    cells.loc[chosen, "status"] = draw(
        st.lists(st.sampled_from("ABT"), min_size=len(chosen), max_size=len(chosen))
    )
    return cells, relations


def audited(cells, relations, status):
    return audit.audit(cells.assign(status=status, protection=1.0), relations)


def check_pattern(cells, relations, status):
    secondary_cells = int((status == "D").sum())
    event(
        f"secondary cells: {'0' if not secondary_cells else '1-2' if secondary_cells < 3 else '3+'}"
    )
    primary = cells["status"] != "V"
    assert (status[primary] == cells.loc[primary, "status"]).all()
    assert set(status[~primary]) <= {"V", "D"}
    assert secondary.singleton_relations(cells, relations, status) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchical_tables())
def test_property_audit_passes_and_every_secondary_cell_is_needed(data):
    cells, relations = data
    status = secondary.secondary_suppression(
        cells, relations, protection=1.0, secondary_protection=1.0
    )
    check_pattern(cells, relations, status)
    assert audit.audit_passes(audited(cells, relations, status))
    for index in status.index[status == "D"]:
        released = status.copy()
        released[index] = "V"
        assert not audit.audit_passes(audited(cells, relations, released)), cells.loc[index, "cell"]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchical_tables(positive=True))
def test_property_without_zeros_the_structural_pattern_passes_the_audit(data):
    cells, relations = data
    status = secondary.secondary_suppression(cells, relations)
    check_pattern(cells, relations, status)
    assert audit.audit_passes(audited(cells, relations, status))
    for index in status.index[status == "D"]:
        released = status.copy()
        released[index] = "V"
        assert secondary.singleton_relations(cells, relations, released)
        result = audited(cells, relations, released)
        assert (result["width"] == 0).any()  # some cell is now recovered exactly


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_property_cross_tables(data):
    n_rows, n_columns = data.draw(st.integers(2, 5)), data.draw(st.integers(2, 5))
    interior = np.array(
        data.draw(
            st.lists(st.integers(0, 12), min_size=n_rows * n_columns, max_size=n_rows * n_columns)
        )
    ).reshape(n_rows, n_columns)
    cells, relations = cross_table(interior)
    candidates = cells.index[cells["value"] >= 1]
    assume(len(candidates) > 0)
    chosen = data.draw(
        st.lists(st.sampled_from(list(candidates)), min_size=1, max_size=4, unique=True)
    )
    cells.loc[chosen, "status"] = "A"
    status = secondary.secondary_suppression(
        cells, relations, protection=1.0, secondary_protection=1.0
    )
    check_pattern(cells, relations, status)
    assert audit.audit_passes(audited(cells, relations, status))
