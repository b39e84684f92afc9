"""`make bench`: the disclosure core on its own (no database): primary rules, secondary
suppression with the LP audit, and the final audit, on a national-sized hierarchy (12
provincies, 336 gemeenten, 3,360 wijken, 13,440 buurten) and on a cross table area × branche.

    .venv/bin/python -m bench.disclosure
"""

import time

import numpy as np
import pandas as pd

from apps.disclosure import audit, hierarchy, rules, secondary
from tests.disclosure.tables import cross_table


def national_hierarchy(seed: int = 7):
    rng = np.random.default_rng(seed)
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
    buurten = [c for c in parent_of if c.startswith("BU")]
    values = dict(zip(buurten, rng.poisson(rng.gamma(1.5, 6, len(buurten))).astype(int).tolist(), strict=True))
    for total, parts in reversed(relations):
        values[total] = sum(values[p] for p in parts)
    cells = pd.DataFrame({"cell": list(values), "value": list(values.values())})
    return cells, relations


def protect(cells: pd.DataFrame, relations) -> tuple[float, float, int, int, bool]:
    params = rules.Parameters()
    cells = cells.assign(count=cells["value"])
    start = time.perf_counter()
    cells["status"] = rules.primary_status(cells, params)
    protection = rules.required_protection(cells, cells["status"], params)
    cells["status"] = secondary.secondary_suppression(cells, relations, protection=protection)
    middle = time.perf_counter()
    cells["protection"] = rules.required_protection(cells, cells["status"], params)
    result = audit.audit(cells, relations)
    end = time.perf_counter()
    primary = int(cells["status"].isin(["A", "B", "T"]).sum())
    return middle - start, end - middle, primary, int((cells["status"] == "D").sum()), audit.audit_passes(result)


def main() -> None:
    print("\ndisclosure core (no database)")
    rng = np.random.default_rng(3)
    cases = {
        "national hierarchy, 17,149 cells": national_hierarchy(),
        "cross table 342 gemeenten x 21 sections": cross_table(rng.poisson(6, size=(342, 21))),
    }
    for label, (cells, relations) in cases.items():
        suppress, check, primary, secondary_cells, passed = protect(cells, relations)
        print(
            f"  {label:<42} suppression {suppress:6.2f} s  audit {check:5.2f} s  "
            f"{primary:>5} primary, {secondary_cells:>5} secondary, audit {'passed' if passed else 'FAILED'}"
        )


if __name__ == "__main__":
    main()
