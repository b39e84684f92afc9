"""The attacker's audit (BRIEF §5 rule 4): how closely can a suppressed cell be pinned down?

The attacker knows every published cell (status ``V``), the additive relations (total = sum of
parts) and that counts are not negative. For every suppressed cell the audit computes, by linear
programming (HiGHS through ``highspy``), the interval ``[lower, upper]`` of values the
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

import hashlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from . import codes
from .hierarchy import Relation, Structure

#: Relative slack when comparing a width to the required protection (LP round-off).
TOLERANCE = 1e-6
#: HiGHS presolve costs far more than it saves on these table systems (a 1,000 x 21 cross
#: table: 7 s with presolve, 0.25 s without).
HIGHS_OPTIONS = {"presolve": "off", "output_flag": False, "threads": 1}

OPTIMAL, INFEASIBLE, UNBOUNDED = 0, 2, 3


def _silence_banner() -> None:
    """HiGHS writes a copyright banner to the process's stdout the first time an instance is
    made, whatever its options; make that first instance with stdout pointed at /dev/null, so
    commands (``audit_release``) and workers print only what they mean to."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_silence_banner()


class _LinearProgram:
    """``A x = b`` with column bounds, loaded into HiGHS once and re-solved per objective.

    One component of the attacker's system takes many LPs that differ only in their objective;
    keeping the model (and its last basis, a warm start) in one HiGHS instance makes each of
    them a few simplex steps, where ``scipy.optimize.linprog`` would rebuild and check the
    whole problem every time (about 1 ms of overhead per LP, 50,000 LPs in a national table).
    """

    def __init__(self, matrix, rhs: np.ndarray, lower: float, upper: float):
        csc = csr_matrix(matrix).tocsc()
        k, m = csc.shape[1], csc.shape[0]
        self.k = k
        self.highs = highspy.Highs()
        for name, value in HIGHS_OPTIONS.items():
            self.highs.setOptionValue(name, value)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = k, m
        infinity = highspy.kHighsInf
        lp.col_cost_ = np.zeros(k)
        lp.col_lower_ = np.full(k, lower if np.isfinite(lower) else -infinity)
        lp.col_upper_ = np.full(k, upper if np.isfinite(upper) else infinity)
        lp.row_lower_ = lp.row_upper_ = np.asarray(rhs, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
        lp.a_matrix_.index_ = csc.indices.astype(np.int32)
        lp.a_matrix_.value_ = csc.data.astype(float)
        self.highs.passModel(lp)
        self.columns = np.arange(k, dtype=np.int32)

    def minimize(self, objective: np.ndarray) -> tuple[int, np.ndarray | None]:
        """(OPTIMAL, x), (INFEASIBLE, None) or (UNBOUNDED, None)."""
        self.highs.changeColsCost(self.k, self.columns, np.asarray(objective, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return OPTIMAL, np.asarray(self.highs.getSolution().col_value)
        if status == highspy.HighsModelStatus.kInfeasible:
            return INFEASIBLE, None
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return UNBOUNDED, None
        raise RuntimeError(f"HiGHS failed: {self.highs.modelStatusToString(status)}")


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
    required: np.ndarray | None = None,
) -> Intervals:
    """The attacker's interval for each free cell in a component that holds a target cell.

    ``values`` are the cell values (only those of published cells are read), ``free`` marks the
    unpublished cells, ``targets`` (a bool mask; default: all free cells) the cells whose
    components to solve.

    With ``required`` (the protection per cell), a cell is settled as soon as two solutions of
    the attacker's system are found whose values of it lie at least ``required`` apart: it
    passes whatever its exact bounds are, and its ``lower``/``upper`` are those two values (a
    part of the true interval). Cells that fail, and all cells without ``required``, get their
    exact bounds. This saves most of the LPs of a national table.
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
    component[cells] = cell_labels

    # A component whose cells and relations form a tree (memberships = cells + relations - 1)
    # is solved exactly by propagating bounds; only the others need LPs.
    first_member = pd.Series(mc[members]).groupby(mr[members]).first()
    n_relations = np.bincount(
        np.searchsorted(uniq, labels[first_member.to_numpy()]), minlength=uniq.size
    )
    acyclic = (m_stops - m_starts) == counts + n_relations - 1
    tree_members = members[np.repeat(acyclic, m_stops - m_starts)]
    if acyclic.any():
        tree_cells = cells[np.repeat(acyclic, counts)]
        lo, hi, ok = _propagate(mr[tree_members], mc[tree_members], coef[tree_members], rhs, tree_cells, n, lb)
        lower[tree_cells], upper[tree_cells] = lo[tree_cells], hi[tree_cells]
        # A contradiction anywhere in a component leaves none of its cells an interval.
        broken = np.isin(labels[tree_cells], labels[tree_cells[~ok[tree_cells]]])
        feasible[tree_cells[broken]] = False
        lower[tree_cells[broken]] = upper[tree_cells[broken]] = np.nan

    for i in np.flatnonzero(~acyclic):
        block = cells[starts[i] : starts[i] + counts[i]]
        mem = members[m_starts[i] : m_stops[i]]
        if mem.size == 0:  # in no relation: nothing bounds it but the sign
            lower[block], upper[block] = lb, np.inf
            continue
        rels, rel_local = np.unique(mr[mem], return_inverse=True)
        matrix = csr_matrix((coef[mem], (rel_local, local[mc[mem]])), shape=(rels.size, block.size))
        need = None if required is None else np.asarray(required, dtype=float)[block]
        key = _component_key(matrix, rhs[rels], lb, need)
        solved = _SOLVED.get(key)
        if solved is None:
            solved = _solve_component(matrix, rhs[rels], lb, need)
            _remember(key, solved)
        lower[block], upper[block], feasible[block] = solved
    return Intervals(lower, upper, component, feasible)


#: Components solved by LP, by their exact content: secondary suppression's last check and the
#: final audit meet the same components again (a national run meets thousands), and an LP
#: component costs milliseconds to seconds. Bounded; shared by threads (dict operations are
#: atomic, and a lost entry only costs a recomputation).
_SOLVED: dict[bytes, tuple[np.ndarray, np.ndarray, bool]] = {}
_SOLVED_MAX = 4096


def _component_key(matrix: csr_matrix, rhs: np.ndarray, lb: float, required: np.ndarray | None) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for part in (matrix.indptr, matrix.indices, matrix.data, rhs, np.array([lb, matrix.shape[1]], dtype=float)):
        digest.update(np.ascontiguousarray(part).tobytes())
        digest.update(b"|")
    digest.update(b"-" if required is None else np.ascontiguousarray(required, dtype=float).tobytes())
    return digest.digest()


def _remember(key: bytes, solved: tuple[np.ndarray, np.ndarray, bool]) -> None:
    if len(_SOLVED) >= _SOLVED_MAX:
        _SOLVED.clear()
    _SOLVED[key] = solved


def _propagate(
    relation: np.ndarray,
    cell: np.ndarray,
    coef: np.ndarray,
    rhs: np.ndarray,
    cells: np.ndarray,
    n: int,
    lb: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact bounds of the free cells of tree-shaped components by bounds propagation.

    Each relation ``sum(coef * x) = rhs`` bounds each of its cells by the bounds of the others;
    repeated to a fixpoint. On a system whose cell–relation graph is a tree (Berge-acyclic) this
    fixpoint is the exact projection of the feasible set onto each cell, the same interval the
    LPs would give (arc consistency is global consistency on acyclic constraint networks, and
    every projection of a linear equation over boxes is an interval). Vectorised over all
    components at once; it converges within the diameter of the largest tree.
    Returns lower, upper and feasibility per cell position (only ``cells`` are meaningful).
    """
    lower, upper = np.full(n, lb, dtype=float), np.full(n, np.inf)
    feasible = np.ones(n, dtype=bool)
    if cell.size == 0:
        lower[cells], upper[cells] = lb, np.inf
        return lower, upper, feasible
    relations, r = np.unique(relation, return_inverse=True)
    total = rhs[relations]
    size = relations.size
    for _ in range(cells.size + 2):
        a, b = coef * lower[cell], coef * upper[cell]
        low, high = np.minimum(a, b), np.maximum(a, b)
        low_inf, high_inf = np.isneginf(low), np.isposinf(high)
        low_sum = np.bincount(r, weights=np.where(low_inf, 0.0, low), minlength=size)
        high_sum = np.bincount(r, weights=np.where(high_inf, 0.0, high), minlength=size)
        low_count = np.bincount(r, weights=low_inf, minlength=size)
        high_count = np.bincount(r, weights=high_inf, minlength=size)
        others_low = np.where(
            low_count[r] - low_inf > 0, -np.inf, low_sum[r] - np.where(low_inf, 0.0, low)
        )
        others_high = np.where(
            high_count[r] - high_inf > 0, np.inf, high_sum[r] - np.where(high_inf, 0.0, high)
        )
        with np.errstate(invalid="ignore"):
            term_low, term_high = total[r] - others_high, total[r] - others_low  # range of coef * x
        new_low = np.where(coef > 0, term_low, -term_high)
        new_high = np.where(coef > 0, term_high, -term_low)
        next_lower, next_upper = lower.copy(), upper.copy()
        np.maximum.at(next_lower, cell, new_low)
        np.minimum.at(next_upper, cell, new_high)
        slack = 1e-9 * np.maximum(1.0, np.abs(np.where(np.isfinite(next_lower), next_lower, 0.0)))
        if (next_lower > next_upper + slack).any():
            bad = next_lower > next_upper + slack
            feasible[bad] = False
        changed = ~(
            np.isclose(next_lower, lower, rtol=1e-12, atol=1e-12, equal_nan=True)
            & np.isclose(next_upper, upper, rtol=1e-12, atol=1e-12, equal_nan=True)
        )
        lower, upper = next_lower, next_upper
        if not changed.any():
            break
    upper = np.maximum(upper, lower)
    return lower, upper, feasible


def _solve_component(
    matrix: csr_matrix, rhs: np.ndarray, lb: float, required: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Minimum and maximum of each variable subject to ``matrix @ x = rhs``, ``x >= lb``;
    and whether the system has a solution at all."""
    outer = _relation_bounds(matrix.tocoo(), rhs, lb)
    if outer is None:
        return np.full(matrix.shape[1], np.nan), np.full(matrix.shape[1], np.nan), False
    if matrix.shape[0] == 1:  # one relation: its closed form is exact
        return outer[0], outer[1], True
    return _solve_lp(matrix, rhs, lb, *outer, required=required)


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


class _SpreadProgram:
    """Maximise ``sum(t)`` over ``A x = b``, ``x >= lb``, ``0 <= t_i <= r_i``, ``t_i <= x_i - m_i``.

    ``t_i`` is how far cell i is lifted above ``m_i`` (the least value of it seen), capped at its
    required width ``r_i``: the optimum lifts as many cells as far as their protection needs,
    sharing the room a relation leaves among its cells. A cell lifted by ``r_i`` has two
    solutions ``r_i`` apart, so it passes the audit without an LP of its own.
    """

    def __init__(self, matrix, rhs: np.ndarray, lb: float):
        coo = csr_matrix(matrix).tocoo()
        m, k = coo.shape
        self.k = k
        infinity = highspy.kHighsInf
        # Columns: x (k), then t (k). Rows: A x = b (m), then t_i - x_i <= -m_i (k).
        rows = np.concatenate([coo.row, m + np.arange(k), m + np.arange(k)])
        cols = np.concatenate([coo.col, k + np.arange(k), np.arange(k)])
        vals = np.concatenate([coo.data, np.ones(k), -np.ones(k)])
        csc = coo_matrix((vals, (rows, cols)), shape=(m + k, 2 * k)).tocsc()
        self.highs = highspy.Highs()
        for name, value in HIGHS_OPTIONS.items():
            self.highs.setOptionValue(name, value)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * k, m + k
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = np.concatenate([np.zeros(k), np.ones(k)])
        lp.col_lower_ = np.concatenate([np.full(k, lb if np.isfinite(lb) else -infinity), np.zeros(k)])
        lp.col_upper_ = np.concatenate([np.full(k, infinity), np.zeros(k)])
        lp.row_lower_ = np.concatenate([np.asarray(rhs, dtype=float), np.full(k, -infinity)])
        lp.row_upper_ = np.concatenate([np.asarray(rhs, dtype=float), np.zeros(k)])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
        lp.a_matrix_.index_ = csc.indices.astype(np.int32)
        lp.a_matrix_.value_ = csc.data.astype(float)
        self.m = m
        self.highs.passModel(lp)

    def maximize_reach(self, todo: np.ndarray, least: np.ndarray, required: np.ndarray):
        k, infinity = self.k, highspy.kHighsInf
        caps = np.where(todo, np.maximum(required, 0.0), 0.0)
        self.highs.changeColsBounds(k, np.arange(k, 2 * k, dtype=np.int32), np.zeros(k), caps)
        floor = np.where(np.isfinite(least), least, 0.0)
        rows = np.arange(self.m, self.m + k, dtype=np.int32)
        # Only the cells to lift are tied to their floor; the others stay free.
        self.highs.changeRowsBounds(k, rows, np.full(k, -infinity), np.where(todo, -floor, infinity))
        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return INFEASIBLE, None
        return OPTIMAL, np.asarray(self.highs.getSolution().col_value)[:k]


class _Infeasible(Exception):
    pass


def _solve_lp(
    matrix: csr_matrix,
    rhs: np.ndarray,
    lb: float,
    outer_lower: np.ndarray,
    outer_upper: np.ndarray,
    required: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Exact bounds by LP, with as few LPs as possible.

    Every LP solution is a point the attacker cannot rule out: a variable whose value at such a
    point reaches its outer bound (``_relation_bounds``) has that bound as its exact bound. So:
    (1) find the variables unbounded above from the recession cone (``A d = 0, 0 <= d <= 1``,
    maximise the sum over the undecided ones; repeat while it finds more); (2) maximise, then
    minimise, the sum of the undecided variables while that decides more of them; (3) with
    ``required``, settle as many cells at once as the system allows: find a solution that
    lifts the most cells to at least ``required`` above the least value seen of them
    (``_SpreadProgram``), repeat for the cells left while that settles more; (4) one LP per
    bound still undecided of the cells not settled (each solution may decide others).
    """
    k = matrix.shape[1]
    nonnegative = np.isfinite(lb)
    program = _LinearProgram(matrix, rhs, lb, np.inf)
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

    def settled() -> np.ndarray:
        if required is None:
            return np.zeros(k, dtype=bool)
        return passes(seen_max - seen_min, required)

    def solve(objective: np.ndarray) -> tuple[int, np.ndarray | None]:
        status, x = program.minimize(objective)
        if status == INFEASIBLE:
            raise _Infeasible
        if status == OPTIMAL:
            np.minimum(seen_min, x, out=seen_min)
            np.maximum(seen_max, x, out=seen_max)
            settle()
        return status, x

    try:
        solve(np.zeros(k))  # feasibility, and a first point
        if nonnegative:
            cone = None
            while (undecided := np.isnan(upper) & np.isinf(outer_upper)).any():
                cone = cone or _LinearProgram(matrix, np.zeros(len(rhs)), 0.0, 1.0)
                status, ray = cone.minimize(-undecided.astype(float))
                found = undecided & (ray > 1e-9) if status == OPTIMAL else np.zeros(k, dtype=bool)
                if not found.any():
                    break
                upper[found] = np.inf
            for sign, bound in ((-1.0, upper), (1.0, lower)):
                while (open_ := np.isnan(bound)).sum() > 1:
                    before = open_.sum()
                    solve(sign * open_.astype(float))
                    if np.isnan(bound).sum() == before:
                        break
        if required is not None:
            spread = None
            while (todo := ~settled() & (np.isnan(lower) | np.isnan(upper))).any():
                spread = spread or _SpreadProgram(matrix, rhs, lb)
                status, x = spread.maximize_reach(todo, seen_min, required)
                if status != OPTIMAL:
                    break
                before = int(todo.sum())
                np.minimum(seen_min, x, out=seen_min)
                np.maximum(seen_max, x, out=seen_max)
                settle()
                if int((~settled() & (np.isnan(lower) | np.isnan(upper))).sum()) == before:
                    break
        for sign, bound in ((-1.0, upper), (1.0, lower)):
            for i in np.flatnonzero(np.isnan(bound)):
                if not np.isnan(bound[i]) or settled()[i]:
                    continue  # decided by an earlier solution, or wide enough already
                objective = np.zeros(k)
                objective[i] = sign
                status, x = solve(objective)
                if status == UNBOUNDED:
                    bound[i] = -sign * np.inf
                elif np.isnan(bound[i]):
                    bound[i] = x[i]
    except _Infeasible:
        return np.full(k, np.nan), np.full(k, np.nan), False
    witnessed = np.isnan(lower) | np.isnan(upper)  # only cells settled by two solutions
    lower = np.where(np.isnan(lower) & witnessed, seen_min, lower)
    upper = np.where(np.isnan(upper) & witnessed, seen_max, upper)
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
    cells: pd.DataFrame, relations: Iterable[Relation], *, nonnegative: bool = True, exact: bool = False
) -> pd.DataFrame:
    """The attacker's interval for every suppressed cell, and whether it is wide enough.

    ``cells`` has ``cell``, ``value``, ``status`` and ``protection`` (the required width; NaN
    counts as 0, e.g. for D cells). Returns one row per suppressed cell (A B T D S), indexed like
    ``cells``, with ``cell``, ``lower``, ``upper``, ``width``, ``required``, ``passed``, plus
    ``status`` and ``component``. Published values that contradict the relations make every
    cell of their component fail (lower/upper NaN). Confidential: never publish the result.

    A cell that fails always gets its exact interval. For a cell that passes the interval is
    exact only with ``exact=True``; by default it is the two furthest-apart values of it found
    in solutions of the attacker's system (the true interval holds them: its width is at least
    the width shown), which takes far fewer LPs.
    """
    missing = {"cell", "value", "status", "protection"} - set(cells.columns)
    if missing:
        raise KeyError(f"audit needs columns {sorted(missing)}")
    structure = Structure.build(cells["cell"], relations)
    status = status_array(cells["status"])
    free = status != codes.SAFE
    reported = np.isin(status, list(codes.SUPPRESSED))
    values = pd.to_numeric(cells["value"], errors="coerce").to_numpy(dtype=float)
    required = pd.to_numeric(cells["protection"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    result = compute_intervals(
        structure, values, free, reported, nonnegative=nonnegative, required=None if exact else required
    )
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
