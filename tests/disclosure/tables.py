"""Small tables for the disclosure tests: the worked example of BRIEF §5 and hierarchies."""

import numpy as np
import pandas as pd

from apps.disclosure import hierarchy, rules

ROWS = ["r1", "r2", "r3", "R"]  # R: column totals
COLUMNS = ["c1", "c2", "C"]  # C: row totals

#: Interior of the 3x2 table: (contributors, total amount, largest, second largest contribution).
WORKED_INTERIOR = {
    ("r1", "c1"): (2, 30, 20, 10),  # 2 contributors: A
    ("r1", "c2"): (4, 50, 20, 15),
    ("r2", "c1"): (5, 60, 20, 15),
    ("r2", "c2"): (6, 40, 38, 1),  # largest contributor 38 of 40: B
    ("r3", "c1"): (8, 80, 20, 15),
    ("r3", "c2"): (7, 70, 20, 15),
}

#: FREQ(3,10)|NK(1,85); the p%-rule, left at its default p = 10, flags the same two cells.
WORKED_PARAMETERS = rules.Parameters(
    frequency_min_contributors=3, frequency_safety_range=10, dominance_n=1, dominance_k=85
)


def worked_relations():
    return hierarchy.cross_relations(
        [("R", ["r1", "r2", "r3"])], [("C", ["c1", "c2"])], ROWS, COLUMNS
    )


def worked_example() -> pd.DataFrame:
    """The 3x2 magnitude table with row, column and grand totals (12 cells).

    A margin's contributors are the sum of its cells' (each contributor is in one cell); its
    largest two contributions are the largest two among its cells' largest two.
    """
    records = []
    for row in ROWS:
        for column in COLUMNS:
            inside = [
                value
                for (r, c), value in WORKED_INTERIOR.items()
                if row in (r, "R") and column in (c, "C")
            ]
            tops = sorted([v[2] for v in inside] + [v[3] for v in inside], reverse=True)
            records.append(
                {
                    "cell": (row, column),
                    "count": sum(v[0] for v in inside),
                    "contributors": sum(v[0] for v in inside),
                    "total": sum(v[1] for v in inside),
                    "top1": tops[0],
                    "top2": tops[1],
                }
            )
    cells = pd.DataFrame(records)
    cells["value"] = cells["total"]
    return cells


def tree_table(leaf_values, branching) -> tuple[pd.DataFrame, list]:
    """A hierarchical table: a total "T", ``branching[0]`` parts, each with ``branching[1][i]``
    sub-parts, and so on. ``leaf_values`` are consumed in order for the leaves; every other
    cell is the sum of its children. Cell ids are dotted paths ("T", "T.0", "T.0.1", ...)."""
    leaves = iter(leaf_values)
    records, relations = [], []

    def build(cell, shape, level):
        if shape is None:
            value = int(next(leaves))
        else:
            count, sub = shape
            children = [f"{cell}.{i}" for i in range(count)]
            value = sum(
                build(child, sub[i] if sub else None, level + 1) for i, child in enumerate(children)
            )
            relations.append((cell, children))
        records.append({"cell": cell, "value": value, "level": level})
        return value

    build("T", branching, 0)
    cells = pd.DataFrame(records).iloc[::-1].reset_index(drop=True)
    cells["status"] = "V"
    return cells, relations[::-1]


def cross_table(interior: np.ndarray) -> tuple[pd.DataFrame, list]:
    """A 2-D count table with row totals (column "C"), column totals (row "R") and the grand
    total."""
    n_rows, n_columns = interior.shape
    rows = [f"r{i}" for i in range(n_rows)]
    columns = [f"c{j}" for j in range(n_columns)]
    full = np.zeros((n_rows + 1, n_columns + 1), dtype=np.int64)
    full[:n_rows, :n_columns] = interior
    full[:n_rows, n_columns] = interior.sum(axis=1)
    full[n_rows, :] = full[:n_rows, :].sum(axis=0)
    records = [
        {"cell": (row, column), "value": int(full[i, j])}
        for i, row in enumerate([*rows, "R"])
        for j, column in enumerate([*columns, "C"])
    ]
    relations = hierarchy.cross_relations(
        [("R", rows)], [("C", columns)], [*rows, "R"], [*columns, "C"]
    )
    cells = pd.DataFrame(records)
    cells["status"] = "V"
    return cells, relations
