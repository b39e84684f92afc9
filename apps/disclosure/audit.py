"""The attacker's audit (BRIEF §5 rule 4): how closely can a suppressed cell be pinned down?

The attacker knows every published cell (status ``V``), the additive relations (total = sum of
parts) and that counts are not negative. For every suppressed cell the audit computes, by linear
programming (``scipy.optimize.linprog``, HiGHS), the interval ``[lower, upper]`` of values the
cell can take consistently with all of that. A cell *passes* when the width of that interval is
at least its required protection (``upper - lower >= protection``; a cell bounded on one side
only has an infinite width and passes). A cell that is recoverable exactly has width 0.

Every cell that is not published (statuses A B T D S and N) is an unknown of the attacker's
system; only the suppressed ones (A B T D S) are reported. Their true values are not needed:
only published values enter the system.

Speed: the system falls apart into connected components (suppressed cells linked by the
relations they share); each component is solved on its own. A component of one relation (the
common case in a hierarchy) has a closed form. Larger ones take LPs, but fewer than two per
cell: bounds that follow from single relations are confirmed by any LP solution reaching them,
cells unbounded above are found at once from the recession cone, and sums of the undecided
cells are optimised before single cells (see ``_solve_lp``). A national hierarchy with
thousands of suppressed cells takes well under a second.

Pure module: numpy, pandas and scipy only, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from . import codes
from .hierarchy import Relation, Structure

#: Relative slack when comparing a width to the required protection (LP round-off).
TOLERANCE = 1e-6
#: HiGHS presolve costs far more than it saves on these table systems (a 1,000 x 21 cross
#: table: 7 s with presolve, 0.25 s without).
HIGHS_OPTIONS = {"presolve": False}


class InconsistentTable(ValueError):
    """Published values contradict the relations, so the attacker's system has no solution."""


def status_array(status: Iterable) -> np.ndarray:
    """Status codes as an object array; unknown codes raise ValueError."""
    status = np.asarray(pd.Series(status, dtype=object).astype(str).to_numpy(), dtype=object)
    unknown = set(np.unique(status)) - codes.ALL
    if unknown:
        raise ValueError(f"unknown status codes: {sorted(unknown)}")
    return status


@dataclass(frozen=True, eq=False)
class Intervals:
    """Per cell position: the attacker's bounds (NaN where not computed) and the component."""

    lower: np.ndarray
    upper: np.ndarray
    component: np.ndarray  # -1 where not computed
    feasible: np.ndarray  # False where the component's system has no solution


def components(structure: Structure, free: np.ndarray) -> np.ndarray:
    """Component label per cell: free (unpublished) cells sharing a relation share a label."""
    n, members = structure.n_cells, free[structure.member_cell]
    rows = structure.member_cell[members]
    cols = n + structure.member_relation[members]
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n + structure.n_relations,) * 2)
    return connected_components(graph, directed=False)[1][:n]


def compute_intervals(
    structure: Structure,
    values: np.ndarray,
    free: np.ndarray,
    targets: np.ndarray | None = None,
    nonnegative: bool = True,
) -> Intervals:
    """The attacker's interval for each free cell in a component that holds a target cell.

    ``values`` are the cell values (only those of published cells are read), ``free`` marks the
    unpublished cells, ``targets`` (a bool mask; default: all free cells) the cells whose
    components to solve.
    """
    n = structure.n_cells
    lb = 0.0 if nonnegative else -np.inf
    values = np.asarray(values, dtype=float)
    free = np.asarray(free, dtype=bool)
    mr, mc, coef = structure.member_relation, structure.member_cell, structure.coefficients
    free_member = free[mc]
    known = ~free_member
    if np.isnan(values[mc[known]]).any():
        raise ValueError("a published cell in a relation has no value")
    rhs = -np.bincount(
        mr[known], weights=coef[known] * values[mc[known]], minlength=structure.n_relations
    )
    labels = components(structure, free)

    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    component, feasible = np.full(n, -1, dtype=np.int64), np.ones(n, dtype=bool)
    wanted = free if targets is None else (np.asarray(targets, dtype=bool) & free)
    wanted_labels = np.unique(labels[wanted])
    cells = np.flatnonzero(free & np.isin(labels, wanted_labels))
    if cells.size == 0:
        return Intervals(lower, upper, component, feasible)
    cells = cells[np.argsort(labels[cells], kind="stable")]
    cell_labels = labels[cells]
    uniq, starts, counts = np.unique(cell_labels, return_index=True, return_counts=True)
    local = np.zeros(n, dtype=np.int64)
    local[cells] = np.arange(cells.size) - np.repeat(starts, counts)
    members = np.flatnonzero(free_member)
    members = members[np.isin(labels[mc[members]], uniq)]
    members = members[np.argsort(labels[mc[members]], kind="stable")]
    member_labels = labels[mc[members]]
    m_starts = np.searchsorted(member_labels, uniq, "left")
    m_stops = np.searchsorted(member_labels, uniq, "right")

    for i, label in enumerate(uniq):
        block = cells[starts[i] : starts[i] + counts[i]]
        component[block] = label
        mem = members[m_starts[i] : m_stops[i]]
        if mem.size == 0:  # in no relation: nothing bounds it but the sign
            lower[block], upper[block] = lb, np.inf
            continue
        rels, rel_local = np.unique(mr[mem], return_inverse=True)
        matrix = csr_matrix((coef[mem], (rel_local, local[mc[mem]])), shape=(rels.size, block.size))
        lo, hi, ok = _solve_component(matrix, rhs[rels], lb)
        lower[block], upper[block], feasible[block] = lo, hi, ok
    return Intervals(lower, upper, component, feasible)


def _solve_component(
    matrix: csr_matrix, rhs: np.ndarray, lb: float
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Minimum and maximum of each variable subject to ``matrix @ x = rhs``, ``x >= lb``;
    and whether the system has a solution at all."""
    outer = _relation_bounds(matrix.tocoo(), rhs, lb)
    if outer is None:
        return np.full(matrix.shape[1], np.nan), np.full(matrix.shape[1], np.nan), False
    if matrix.shape[0] == 1:  # one relation: its closed form is exact
        return outer[0], outer[1], True
    return _solve_lp(matrix, rhs, lb, *outer)


def _reachable(rhs: np.ndarray, n_positive: np.ndarray, n_negative: np.ndarray) -> np.ndarray:
    """Can non-negative terms, n_positive with a positive and n_negative with a negative
    coefficient, add up to rhs?"""
    zero = np.abs(rhs) <= 1e-9 * np.maximum(1.0, np.abs(rhs))
    return zero | ((rhs > 0) & (n_positive > 0)) | ((rhs < 0) & (n_negative > 0))


def _relation_bounds(coo, rhs: np.ndarray, lb: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Bounds on each variable from each relation on its own (closed form), intersected.

    With ``x >= 0`` and one equation ``sum(c_j x_j) = rhs``: x_i can be 0 when the other terms
    can make rhs alone, else its least value is rhs / c_i; it is unbounded above when another
    term has the opposite sign, else at most rhs / c_i. These bounds are exact for a single
    relation and valid (outer) bounds for a system. None when a relation has no solution.
    """
    k = coo.shape[1]
    row, col, coef = coo.row, coo.col, coo.data
    alone = rhs[row] / coef
    if np.isinf(lb):  # no sign constraint: only a relation with one unknown pins it
        unknowns = np.bincount(row, minlength=coo.shape[0])
        single = unknowns[row] == 1
        low = np.where(single, alone, -np.inf)
        high = np.where(single, alone, np.inf)
    else:
        positive, negative = coef > 0, coef < 0
        n_pos = np.bincount(row, weights=positive, minlength=coo.shape[0])
        n_neg = np.bincount(row, weights=negative, minlength=coo.shape[0])
        if not _reachable(rhs, n_pos, n_neg).all():
            return None
        others_pos, others_neg = n_pos[row] - positive, n_neg[row] - negative
        low = np.where(_reachable(rhs[row], others_pos, others_neg), lb, alone)
        opposite = np.where(positive, others_neg, others_pos) > 0
        high = np.where(opposite, np.inf, alone)
    lower, upper = np.full(k, lb), np.full(k, np.inf)
    np.maximum.at(lower, col, low)
    np.minimum.at(upper, col, high)
    if (upper < lower - 1e-9 * np.maximum(1.0, np.abs(lower))).any():
        return None
    return lower, np.maximum(upper, lower)


class _Infeasible(Exception):
    pass


def _solve_lp(
    matrix: csr_matrix, rhs: np.ndarray, lb: float, outer_lower: np.ndarray, outer_upper: np.ndarray
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Exact bounds by LP, with as few LPs as possible.

    Every LP solution is a point the attacker cannot rule out: a variable whose value at such a
    point reaches its outer bound (``_relation_bounds``) has that bound as its exact bound. So:
    (1) find the variables unbounded above from the recession cone (``A d = 0, 0 <= d <= 1``,
    maximise the sum over the undecided ones; repeat while it finds more); (2) maximise, then
    minimise, the sum of the undecided variables while that decides more of them; (3) one LP
    per variable still undecided (each solution may decide others too).
    """
    k = matrix.shape[1]
    a_eq = matrix.toarray() if matrix.shape[0] * k <= 40_000 else matrix
    nonnegative = np.isfinite(lb)
    bounds = (lb if nonnegative else None, None)
    lower = np.where(outer_lower == outer_upper, outer_lower, np.nan)
    upper = lower.copy()
    seen_min, seen_max = np.full(k, np.inf), np.full(k, -np.inf)

    def slack(bound: np.ndarray) -> np.ndarray:
        return 1e-9 * np.maximum(1.0, np.abs(np.where(np.isfinite(bound), bound, 0.0)))

    low_slack, high_slack = slack(outer_lower), slack(outer_upper)

    def settle() -> None:
        reach_low = np.isnan(lower) & (seen_min <= outer_lower + low_slack)
        lower[reach_low] = outer_lower[reach_low]
        reach_high = np.isnan(upper) & (seen_max >= outer_upper - high_slack)
        upper[reach_high] = outer_upper[reach_high]

    def solve(objective: np.ndarray):
        res = linprog(
            objective, A_eq=a_eq, b_eq=rhs, bounds=bounds, method="highs", options=HIGHS_OPTIONS
        )
        if res.status == 2:
            raise _Infeasible
        if res.status == 0:
            np.minimum(seen_min, res.x, out=seen_min)
            np.maximum(seen_max, res.x, out=seen_max)
            settle()
        elif res.status != 3:
            raise RuntimeError(f"linprog failed: {res.message}")
        return res

    try:
        solve(np.zeros(k))  # feasibility, and a first point
        if nonnegative:
            while (undecided := np.isnan(upper) & np.isinf(outer_upper)).any():
                ray = linprog(
                    -undecided.astype(float),
                    A_eq=a_eq,
                    b_eq=np.zeros(len(rhs)),
                    bounds=(0, 1),
                    method="highs",
                    options=HIGHS_OPTIONS,
                )
                found = undecided & (ray.x > 1e-9) if ray.status == 0 else np.zeros(k, dtype=bool)
                if not found.any():
                    break
                upper[found] = np.inf
            for sign, bound in ((-1.0, upper), (1.0, lower)):
                while (open_ := np.isnan(bound)).sum() > 1:
                    before = open_.sum()
                    solve(sign * open_.astype(float))
                    if np.isnan(bound).sum() == before:
                        break
        for sign, bound in ((-1.0, upper), (1.0, lower)):
            for i in np.flatnonzero(np.isnan(bound)):
                if not np.isnan(bound[i]):
                    continue  # decided by an earlier solution
                objective = np.zeros(k)
                objective[i] = sign
                res = solve(objective)
                if res.status == 3:
                    bound[i] = -sign * np.inf
                elif np.isnan(bound[i]):
                    bound[i] = res.x[i]
    except _Infeasible:
        return np.full(k, np.nan), np.full(k, np.nan), False
    if nonnegative:
        lower = np.maximum(lower, lb)
    return lower, np.maximum(upper, lower), True


def passes(
    width: np.ndarray, required: np.ndarray, feasible: np.ndarray | bool = True
) -> np.ndarray:
    """width >= required, with a small relative slack for LP round-off."""
    width, required = np.asarray(width, dtype=float), np.asarray(required, dtype=float)
    slack = TOLERANCE * np.maximum(1.0, np.abs(required))
    return np.asarray(feasible) & (width >= required - slack)


def audit(
    cells: pd.DataFrame, relations: Iterable[Relation], *, nonnegative: bool = True
) -> pd.DataFrame:
    """The attacker's interval for every suppressed cell, and whether it is wide enough.

    ``cells`` has ``cell``, ``value``, ``status`` and ``protection`` (the required width; NaN
    counts as 0, e.g. for D cells). Returns one row per suppressed cell (A B T D S), indexed like
    ``cells``, with ``cell``, ``lower``, ``upper``, ``width``, ``required``, ``passed``, plus
    ``status`` and ``component``. Published values that contradict the relations make every
    cell of their component fail (lower/upper NaN). Confidential: never publish the result.
    """
    missing = {"cell", "value", "status", "protection"} - set(cells.columns)
    if missing:
        raise KeyError(f"audit needs columns {sorted(missing)}")
    structure = Structure.build(cells["cell"], relations)
    status = status_array(cells["status"])
    free = status != codes.SAFE
    reported = np.isin(status, list(codes.SUPPRESSED))
    values = pd.to_numeric(cells["value"], errors="coerce").to_numpy(dtype=float)
    result = compute_intervals(structure, values, free, reported, nonnegative=nonnegative)
    required = pd.to_numeric(cells["protection"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        width = result.upper - result.lower
    frame = pd.DataFrame(
        {
            "cell": cells["cell"].to_numpy(dtype=object),
            "lower": result.lower,
            "upper": result.upper,
            "width": width,
            "required": required,
            "passed": passes(width, required, result.feasible),
            "status": status,
            "component": result.component,
        },
        index=cells.index,
    )
    return frame[reported]


def audit_passes(result: pd.DataFrame) -> bool:
    """True when every suppressed cell in an ``audit`` result is protected."""
    return bool(result["passed"].all())
