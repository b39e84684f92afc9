"""Secondary suppression over additive hierarchies (BRIEF §5 rule 3).

A suppressed cell that is the only unpublished cell of a relation (total = sum of parts) is
recovered by subtraction (a part) or by addition (the total). So every relation must hold either
no unpublished cell or at least two. ``secondary_suppression`` marks extra safe cells ``D``
until that holds everywhere, and optionally until the LP audit passes as well.

Heuristic (greedy, deterministic):

1. *Close singletons.* Relations with exactly one unpublished cell are handled smallest
   relation first (fewest choices first: in a 3x2 table the rows, whose only candidate is the
   other cell of the row, go before the columns). For such a relation one safe cell of it is
   suppressed, the best by, in this order:

   a. a part before the total: a total is usually a part of the next level up, so suppressing
      it would spread the suppression upwards; "never a total when a part will do";
   b. a non-zero value before a zero: a suppressed 0 cannot go lower, so it protects only in
      one direction, and chains of zeros can pin a cell exactly;
   c. the fewest follow-up suppressions: each other relation of the candidate that has no
      unpublished cell yet would become a new singleton (+1), each that has exactly one is
      closed at the same time (-1). In a cross table this picks the fourth corner of a
      rectangle; in a hierarchy it prefers a wijk that already has suppressed buurten;
   d. the smallest value (information loss measured as suppressed value, as tau-ARGUS's
      default cost);
   e. the order of the cells frame (ties are broken deterministically).

   Cells suppressed this way can open new singletons (a wijk suppressed as part of its
   gemeente must hide one of its buurten too), so this repeats until no singleton is left.

2. *Audit-driven repair* (only with ``protection``): the LP audit (audit.py) is run; for each
   cell whose interval is narrower than its protection, one more safe cell of its relations is
   suppressed (same ranking; if its relations hold no safe cell, of the relations around its
   component), then step 1 again, until the audit passes. Always converges: with every cell
   of a table suppressed, nothing bounds any cell from above.

3. *Prune* redundant suppressions: the cells suppressed here are tried for release, largest
   value first; one is released when no relation is left with a singleton (and, with
   ``protection``, the audit of its component still passes). After pruning, releasing any
   single ``D`` cell of this run makes the table fail: a cell becomes exactly recoverable (or,
   with ``protection``, too narrowly bounded).

This is a fast heuristic in the spirit of tau-ARGUS's HiTaS/Modular, not an optimal solution.
Statuses of the input are kept; only ``V`` cells with a value can become ``D``. ``N`` cells
(not available) count as unpublished. Pure module: numpy, pandas, scipy; no Django.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

from . import codes
from .audit import InconsistentTable, compute_intervals, passes, status_array
from .hierarchy import Relation, Structure


class _Suppressor:
    """The mutable state of one run: which cells are unpublished, counts per relation."""

    def __init__(self, structure: Structure, values: np.ndarray, status: np.ndarray):
        self.structure = structure
        self.values = values
        self.status = status
        self.free = status != codes.SAFE
        self.eligible = (status == codes.SAFE) & np.isfinite(values)
        self.added = np.zeros(structure.n_cells, dtype=bool)
        self.n_free = structure.count_in_relations(self.free)
        self.sizes = structure.relation_sizes()
        self.heap = [(int(self.sizes[r]), int(r)) for r in np.flatnonzero(self.n_free == 1)]
        heapq.heapify(self.heap)
        self.unresolvable: set[int] = set()

    def relations_of(self, cell: int) -> np.ndarray:
        memberships, _ = self.structure.memberships_of_cells(np.array([cell]))
        return self.structure.member_relation[memberships]

    def suppress(self, cell: int) -> None:
        self.free[cell] = self.added[cell] = True
        self.eligible[cell] = False
        relations = self.relations_of(cell)
        self.n_free[relations] += 1
        for r in relations[self.n_free[relations] == 1]:
            heapq.heappush(self.heap, (int(self.sizes[r]), int(r)))

    def release(self, cell: int) -> None:
        self.free[cell] = self.added[cell] = False
        self.eligible[cell] = True
        self.n_free[self.relations_of(cell)] -= 1

    def best(self, memberships: np.ndarray) -> int:
        """The cell of the best candidate membership (ranking a-e of the module docstring)."""
        s = self.structure
        cells = s.member_cell[memberships]
        follow, owner = s.memberships_of_cells(cells)
        n_free = self.n_free[s.member_relation[follow]]
        effect = np.where(n_free == 0, 1.0, np.where(n_free == 1, -1.0, 0.0))
        net = np.bincount(owner, weights=effect, minlength=cells.size)
        values = self.values[cells]
        order = np.lexsort((cells, values, net, values <= 0, s.member_is_total[memberships]))
        return int(cells[order[0]])

    def close_singletons(self) -> None:
        s = self.structure
        while self.heap:
            _, r = heapq.heappop(self.heap)
            if self.n_free[r] != 1:
                continue
            memberships = np.arange(s.relation_start[r], s.relation_start[r + 1])
            candidates = memberships[self.eligible[s.member_cell[memberships]]]
            if candidates.size == 0:
                self.unresolvable.add(r)
                continue
            self.suppress(self.best(candidates))

    def repair(self, failing: np.ndarray, labels: np.ndarray) -> bool:
        """Suppress one more cell around each failing cell; False when none is left."""
        s = self.structure
        picks: set[int] = set()
        for cell in failing:
            relations = self.relations_of(int(cell))
            memberships, _ = s.memberships_of_relations(relations)
            candidates = memberships[self.eligible[s.member_cell[memberships]]]
            if candidates.size == 0:  # widen to the relations around its component
                component = np.flatnonzero(self.free & (labels == labels[cell]))
                around, _ = s.memberships_of_cells(component)
                memberships, _ = s.memberships_of_relations(np.unique(s.member_relation[around]))
                candidates = memberships[self.eligible[s.member_cell[memberships]]]
            candidates = candidates[~np.isin(s.member_cell[candidates], list(picks))]
            if candidates.size:
                picks.add(self.best(candidates))
        for cell in sorted(picks):
            self.suppress(cell)
        self.close_singletons()
        return bool(picks)

    def current_status(self) -> np.ndarray:
        return np.where(self.added, codes.SECONDARY, self.status)


def _protection_array(cells: pd.DataFrame, protection) -> np.ndarray:
    if isinstance(protection, str):
        protection = cells[protection]
    if isinstance(protection, pd.Series):
        series = pd.to_numeric(protection.reindex(cells.index), errors="coerce")
        return series.fillna(0.0).to_numpy(dtype=float)
    return np.full(len(cells), float(protection))


def secondary_suppression(
    cells: pd.DataFrame,
    relations: Iterable[Relation],
    *,
    protection: float | str | pd.Series | None = None,
    secondary_protection: float = 0.0,
    nonnegative: bool = True,
    prune: bool = True,
    max_rounds: int | None = None,
) -> pd.Series:
    """The status of every cell after secondary suppression (new ``D`` cells), indexed like
    ``cells`` (columns ``cell``, ``value``, ``status``).

    Without ``protection`` only the structural condition is enforced: every relation has 0 or
    at least 2 unpublished cells (no exact recovery by one subtraction or addition). With
    ``protection`` (a number for every suppressed cell, a column name, or a Series aligned with
    ``cells``; see ``rules.required_protection``) the LP audit must pass too; cells suppressed
    here need ``secondary_protection``. The result is the best pattern found: always run
    ``audit.audit`` on it before publishing (a singleton whose relation has no safe cell with a
    value left cannot be closed here; the audit then fails). Raises ``InconsistentTable`` (with
    ``protection``) when published values contradict the relations.
    """
    missing = {"cell", "value", "status"} - set(cells.columns)
    if missing:
        raise KeyError(f"secondary suppression needs columns {sorted(missing)}")
    structure = Structure.build(cells["cell"], relations)
    status = status_array(cells["status"])
    values = pd.to_numeric(cells["value"], errors="coerce").to_numpy(dtype=float)
    state = _Suppressor(structure, values, status)
    state.close_singletons()

    check = None
    if protection is not None:
        required_input = _protection_array(cells, protection)

        def required() -> np.ndarray:
            return np.where(state.added, float(secondary_protection), required_input)

        def failing_cells(targets: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
            reported = np.isin(state.current_status(), list(codes.SUPPRESSED))
            result = compute_intervals(
                structure,
                values,
                state.free,
                reported if targets is None else targets,
                nonnegative,
                required=required(),
            )
            if not result.feasible.all():
                bad = structure.cells[~result.feasible].tolist()[:5]
                raise InconsistentTable(f"published values contradict the relations around {bad}")
            computed = result.component >= 0
            ok = passes(result.upper - result.lower, required(), result.feasible)
            return np.flatnonzero(reported & computed & ~ok), result.component

        rounds = structure.n_cells + 1 if max_rounds is None else max_rounds
        for _ in range(rounds):
            failing, labels = failing_cells(None)
            if failing.size == 0 or not state.repair(failing, labels):
                break

        def check(cell: int) -> bool:
            neighbours = np.zeros(structure.n_cells, dtype=bool)
            memberships, _ = structure.memberships_of_relations(state.relations_of(cell))
            neighbours[structure.member_cell[memberships]] = True
            return failing_cells(neighbours & state.free)[0].size == 0

    if prune:
        added = np.flatnonzero(state.added)
        for cell in added[np.lexsort((-added, -values[added]))]:
            if (state.n_free[state.relations_of(int(cell))] == 2).any():
                continue  # releasing it would leave a singleton
            state.release(int(cell))
            if check is not None and not check(int(cell)):
                state.suppress(int(cell))
    return pd.Series(state.current_status(), index=cells.index, name="status", dtype=object)


def singleton_relations(
    cells: pd.DataFrame, relations: Iterable[Relation], status: pd.Series | None = None
) -> list[Hashable]:
    """Totals of the relations with exactly one unpublished cell (these leak that cell)."""
    structure = Structure.build(cells["cell"], relations)
    status = status_array(cells["status"] if status is None else status)
    n_free = structure.count_in_relations(status != codes.SAFE)
    totals = structure.member_cell[structure.relation_start[:-1]]
    return structure.cells[totals[n_free == 1]].tolist()


def information_loss(
    cells: pd.DataFrame,
    status: pd.Series | None = None,
    level: str = "level",
    value: str | None = "value",
) -> pd.DataFrame:
    """Per ``level`` (e.g. buurt, wijk, gemeente): how many cells are suppressed.

    Columns ``cells``, ``suppressed``, ``primary``, ``secondary``, ``share_suppressed`` and, when
    a ``value`` column is given, ``value_share_suppressed`` (suppressed value / total value).
    Confidential when a level holds few cells: for stewards only.
    """
    status = pd.Series(cells["status"] if status is None else status, index=cells.index)
    suppressed = status.isin(codes.SUPPRESSED)
    frame = pd.DataFrame(
        {
            "level": cells[level],
            "cells": 1,
            "suppressed": suppressed.astype(int),
            "primary": status.isin(codes.PRIMARY).astype(int),
            "secondary": (status == codes.SECONDARY).astype(int),
        }
    )
    if value is not None and value in cells:
        amount = pd.to_numeric(cells[value], errors="coerce").fillna(0.0)
        frame["value_total"] = amount
        frame["value_suppressed"] = amount.where(suppressed, 0.0)
    out = frame.groupby("level", sort=False).sum()
    out["share_suppressed"] = out["suppressed"] / out["cells"]
    if "value_total" in out:
        out["value_share_suppressed"] = (out["value_suppressed"] / out["value_total"]).where(
            out["value_total"] > 0
        )
        out = out.drop(columns=["value_total", "value_suppressed"])
    return out
