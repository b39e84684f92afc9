"""Additive relations between cells: building them and compiling them to index arrays.

A relation is a pair ``(total_cell, [part_cells])`` meaning ``value(total) = sum(value(parts))``
on the *underlying counts* (or amounts) of one table: one indicator numerator, one year, one
vintage of the geography. Cell ids are any hashable values (strings such as ``"GM0308"``, or
tuples such as ``("GM0308", "G")`` for a cross table).

Building relations (see ``relations_from_parents`` and ``cross_relations``):

* area hierarchy: buurt -> wijk -> gemeente -> provincie -> Nederland gives one relation per
  parent area, ``(parent, [its children])``; pass the whole ``{child: parent}`` mapping.
* SBI: ``(section, [its SBI codes])``, and ``(all branches, [sections])`` if that total exists.
* a 2-D table area x SBI: relations in both directions, one per (area relation, branch) and one
  per (area, branch relation): ``cross_relations``.

The relations must hold exactly on the values given; ``additivity_errors`` lists those that do
not (CBS open figures, for one, do not add up: persons with an unknown address count in the
gemeente but in no wijk). Pure module: numpy and pandas only, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

Relation = tuple[Hashable, Sequence[Hashable]]


def as_cell_index(cells: Iterable[Hashable]) -> pd.Index:
    """An object Index of cell ids (tuples stay tuples, not a MultiIndex); ids must be unique."""
    index = pd.Index(list(cells), dtype=object, tupleize_cols=False)
    if not index.is_unique:
        duplicated = index[index.duplicated()].unique().tolist()[:5]
        raise ValueError(f"cell ids must be unique; duplicated: {duplicated}")
    return index


def expand_ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate ``range(starts[i], stops[i])`` for all i; also return the owner i of each."""
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(stops, dtype=np.int64) - starts
    owner = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets, owner


@dataclass(frozen=True, eq=False)
class Structure:
    """Relations compiled to arrays over cell positions (the rows of the cells frame).

    A *membership* is one (relation, cell) pair. Memberships are ordered by relation, so the
    memberships of relation r are ``relation_start[r]:relation_start[r + 1]``, the total first.
    ``cell_members`` lists the memberships ordered by cell, sliced by ``cell_start``.
    """

    cells: pd.Index
    member_relation: np.ndarray
    member_cell: np.ndarray
    member_is_total: np.ndarray
    relation_start: np.ndarray
    cell_start: np.ndarray
    cell_members: np.ndarray

    @classmethod
    def build(cls, cells: Iterable[Hashable], relations: Iterable[Relation]) -> Structure:
        index = as_cell_index(cells)
        relations = [(total, list(parts)) for total, parts in relations]
        sizes = np.fromiter(
            (1 + len(parts) for _, parts in relations), dtype=np.int64, count=len(relations)
        )
        if (sizes < 2).any():
            empty = [relations[i][0] for i in np.flatnonzero(sizes < 2)[:5]]
            raise ValueError(f"a relation needs at least one part; totals without parts: {empty}")
        ids = pd.Index(
            list(chain.from_iterable([total, *parts] for total, parts in relations)),
            dtype=object,
            tupleize_cols=False,
        )
        positions = index.get_indexer(ids) if len(ids) else np.empty(0, dtype=np.int64)
        if (positions < 0).any():
            missing = pd.unique(ids[positions < 0]).tolist()[:5]
            raise KeyError(f"relations name cells that are not in the cells frame: {missing}")
        member_relation = np.repeat(np.arange(len(relations)), sizes)
        relation_start = np.concatenate([[0], np.cumsum(sizes)])
        is_total = np.zeros(len(ids), dtype=bool)
        is_total[relation_start[:-1]] = True
        pairs = member_relation * max(len(index), 1) + positions
        if len(np.unique(pairs)) != len(pairs):
            seen = pd.Series(pairs).duplicated().to_numpy()
            bad = sorted({relations[r][0] for r in member_relation[seen]}, key=str)[:5]
            raise ValueError(f"a cell occurs twice in one relation (totals: {bad})")
        order = np.argsort(positions, kind="stable")
        cell_start = np.searchsorted(positions[order], np.arange(len(index) + 1))
        return cls(
            index,
            member_relation,
            positions.astype(np.int64),
            is_total,
            relation_start,
            cell_start,
            order,
        )

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    @property
    def n_relations(self) -> int:
        return len(self.relation_start) - 1

    @property
    def coefficients(self) -> np.ndarray:
        """+1 for the total, -1 for a part: each relation reads sum(coefficient * value) = 0."""
        return np.where(self.member_is_total, 1.0, -1.0)

    def relation_sizes(self) -> np.ndarray:
        return np.diff(self.relation_start)

    def count_in_relations(self, mask: np.ndarray) -> np.ndarray:
        """Per relation, how many of its cells have ``mask`` set."""
        hits = mask[self.member_cell]
        return np.bincount(self.member_relation[hits], minlength=self.n_relations).astype(np.int64)

    def memberships_of_cells(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The memberships of the given cells, and for each the index into ``positions``."""
        positions = np.asarray(positions, dtype=np.int64)
        flat, owner = expand_ranges(self.cell_start[positions], self.cell_start[positions + 1])
        return self.cell_members[flat], owner

    def memberships_of_relations(self, relations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The memberships of the given relations, and for each the index into ``relations``."""
        relations = np.asarray(relations, dtype=np.int64)
        return expand_ranges(self.relation_start[relations], self.relation_start[relations + 1])


def relations_from_parents(parent_of: Mapping[Hashable, Hashable] | pd.Series) -> list[Relation]:
    """One relation ``(parent, [children])`` per parent, from a ``{child: parent}`` mapping.

    Children without a parent (``None``/NaN, e.g. Nederland) are skipped. For the area
    hierarchy pass every buurt->wijk, wijk->gemeente, gemeente->provincie and
    provincie->Nederland link in one mapping; for SBI pass code->section.
    """
    links = (
        parent_of if isinstance(parent_of, pd.Series) else pd.Series(dict(parent_of), dtype=object)
    )
    links = links[links.notna()]
    children = pd.Series(
        pd.Index(links.index, dtype=object, tupleize_cols=False), index=range(len(links))
    )
    parents = pd.Series(links.to_numpy(), index=range(len(links)))
    return [(parent, group.tolist()) for parent, group in children.groupby(parents, sort=False)]


def cross_relations(
    row_relations: Iterable[Relation],
    column_relations: Iterable[Relation],
    rows: Iterable[Hashable],
    columns: Iterable[Hashable],
    cell: Callable[[Hashable, Hashable], Hashable] = lambda row, column: (row, column),
) -> list[Relation]:
    """Relations of a 2-D table from the relations of its two dimensions.

    ``rows`` and ``columns`` are all categories of each dimension, totals included (e.g. every
    area code and every SBI code, section and the all-branches total). Each row relation holds
    in every column and each column relation in every row. ``cell(row, column)`` names a cell.
    """
    row_relations, column_relations = list(row_relations), list(column_relations)
    rows, columns = list(rows), list(columns)
    out: list[Relation] = []
    for column in columns:
        out.extend(
            (cell(total, column), [cell(p, column) for p in parts])
            for total, parts in row_relations
        )
    for row in rows:
        out.extend(
            (cell(row, total), [cell(row, p) for p in parts]) for total, parts in column_relations
        )
    return out


def additivity_errors(
    cells: pd.DataFrame, relations: Iterable[Relation], tolerance: float = 1e-9
) -> pd.DataFrame:
    """The relations whose total differs from the sum of its parts (columns ``cell``, ``value``).

    Returns a frame with ``total`` (the total's cell id), ``value`` and ``sum_of_parts``.
    """
    structure = Structure.build(cells["cell"], relations)
    values = cells["value"].to_numpy(dtype=float)
    residual = np.bincount(
        structure.member_relation,
        weights=structure.coefficients * values[structure.member_cell],
        minlength=structure.n_relations,
    )
    totals = structure.member_cell[structure.relation_start[:-1]]
    bad = ~(np.abs(residual) <= tolerance * np.maximum(1.0, np.abs(values[totals])))
    return pd.DataFrame(
        {
            "total": pd.Series(structure.cells[totals[bad]].tolist(), dtype=object),
            "value": values[totals[bad]],
            "sum_of_parts": values[totals[bad]] - residual[bad],
        }
    )
