"""Primary suppression: which cells are unsafe on their own (BRIEF §5 rule 2).

Pure functions over a frame with one row per cell; no Django import. Columns:

``cell``            id of the cell
``count``           number of records/contributions in the cell (int)
``contributors``    distinct contributors (persons, companies); falls back to ``count`` when
                    the column is absent or empty for a row
``total``           sum of the amounts (magnitude cells only; NaN or absent for count cells)
``top1``, ``top2``  the largest and second largest contribution *per contributor*
``topn``            the sum of the ``dominance_n`` largest contributions per contributor
                    (may be left out when ``dominance_n`` is 1 or 2: it is derived from
                    ``top1``/``top2``)
``denominator``, ``min_denominator``   for rates: the denominator and its minimum (T rule)
``category_share_max``                 largest share (0..1) of the group in one category

Rules (notation of research/domain.md §c.1: contributions x1 >= x2 >= ... , total X):

* frequency ``FREQ(n)``: 0 < contributors < n. An empty cell (0) is safe: it reveals nobody.
* dominance ``NK(n, k)``: x1 + ... + xn > k/100 * X.
* p%-rule ``P(p)``: X - x1 - x2 < p/100 * x1 (the second largest contributor could estimate
  the largest to within p%).
* single category: the whole group falls in one category (share 1, count > 0): "all of them
  have it" is group attribute disclosure. Status B (a 100% concentration of the group).
* denominator: denominator < min_denominator (a missing denominator counts as 0).

Dominance and the p%-rule assume non-negative contributions (the SDC handbook's condition).
Switch a concentration rule off with ``p_percent=0`` or ``dominance_k=100``.

Status precedence (one code per cell, the first that applies):
``A`` frequency  >  ``B`` dominance, p%, single category  >  ``T`` denominator  >  ``V`` safe.
Frequency comes first because it is the strongest statement (too few to publish at all) and
its protection needs no magnitudes; T comes last because it concerns a derived rate, not the
people in the cell.

The parameters are confidential (BRIEF §5 rule 1): never log or show them publicly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from . import codes


@dataclass(frozen=True)
class Parameters:
    """The rule parameters; the defaults equal ``apps/disclosure/defaults.py``."""

    frequency_min_contributors: int = 3
    frequency_safety_range: float = 10.0
    dominance_n: int = 2
    dominance_k: float = 85.0
    p_percent: float = 10.0
    rounding_base: int = 5
    min_persons_for_rates: int = 100
    min_dwellings: int = 20
    min_establishments: int = 20

    def __post_init__(self) -> None:
        if self.frequency_min_contributors < 1:
            raise ValueError("frequency_min_contributors must be at least 1")
        if self.frequency_safety_range < 0:
            raise ValueError("frequency_safety_range must not be negative")
        if self.dominance_n < 1:
            raise ValueError("dominance_n must be at least 1")
        if not 0 < self.dominance_k <= 100:
            raise ValueError("dominance_k must be in (0, 100]")
        if self.p_percent < 0:
            raise ValueError("p_percent must not be negative")
        if self.rounding_base < 1:
            raise ValueError("rounding_base must be at least 1")
        for name in ("min_persons_for_rates", "min_dwellings", "min_establishments"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any], *, strict: bool = False) -> Parameters:
        """Build from ``{key: value}`` as stored in the DisclosureParameter table.

        Values may be floats (the table's FloatField), numeric strings, or ``(value,
        description)`` pairs as in ``DEFAULT_PARAMETERS``. Integer parameters must hold whole
        numbers. Keys not given keep their default; unknown keys are ignored unless ``strict``.
        """
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(mapping) - set(known))
        if strict and unknown:
            raise ValueError(f"unknown disclosure parameters: {unknown}")
        values: dict[str, Any] = {}
        for name, field in known.items():
            if name not in mapping:
                continue
            raw = mapping[name]
            if isinstance(raw, tuple | list):
                raw = raw[0]
            number = float(raw)
            if not math.isfinite(number):
                raise ValueError(f"{name} must be a finite number")
            if field.type in (int, "int"):
                if number != round(number):
                    raise ValueError(f"{name} must be a whole number, got {raw!r}")
                values[name] = round(number)
            else:
                values[name] = number
        return cls(**values)


def _column(cells: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column, or all-NaN when the frame does not have it."""
    if name in cells:
        return pd.to_numeric(cells[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=cells.index, dtype=float)


def _topn(cells: pd.DataFrame, params: Parameters) -> pd.Series:
    topn = _column(cells, "topn")
    top1, top2 = _column(cells, "top1"), _column(cells, "top2")
    if params.dominance_n == 1:
        derived = top1
    elif params.dominance_n == 2:
        derived = top1 + top2.fillna(0.0).where(top1.notna())
    else:
        derived = pd.Series(np.nan, index=cells.index, dtype=float)
    topn = topn.fillna(derived)
    missing = _column(cells, "total").notna() & topn.isna()
    if missing.any():
        raise ValueError(
            f"the (n,k)-rule with n={params.dominance_n} needs a 'topn' column for magnitude cells "
            f"({int(missing.sum())} cells without it)"
        )
    return topn


def frequency_rule(cells: pd.DataFrame, params: Parameters) -> pd.Series:
    """Unsafe when 0 < contributors < n. Zero contributors is safe (nobody is revealed)."""
    contributors = _column(cells, "contributors").fillna(_column(cells, "count"))
    n = params.frequency_min_contributors
    return ((contributors > 0) & (contributors < n)).rename("frequency")


def dominance_rule(cells: pd.DataFrame, params: Parameters) -> pd.Series:
    """(n,k)-rule: the n largest contributors hold more than k% of the total.

    Only magnitude cells (a ``total``) are tested; count cells are never dominance-unsafe.
    """
    total = _column(cells, "total")
    topn = _topn(cells, params)
    return (total.notna() & (topn > params.dominance_k / 100.0 * total)).rename("dominance")


def p_percent_rule(cells: pd.DataFrame, params: Parameters) -> pd.Series:
    """p%-rule: total - top1 - top2 < p/100 * top1 (a missing top2 is 0: one contributor)."""
    total, top1 = _column(cells, "total"), _column(cells, "top1")
    missing = total.notna() & top1.isna()
    if missing.any():
        raise ValueError(
            f"the p%-rule needs 'top1' for magnitude cells ({int(missing.sum())} cells without it)"
        )
    top2 = _column(cells, "top2").fillna(0.0)
    remainder = total - top1 - top2
    return (total.notna() & (remainder < params.p_percent / 100.0 * top1)).rename("p_percent")


def single_category_rule(cells: pd.DataFrame, params: Parameters | None = None) -> pd.Series:
    """The whole (non-empty) group falls in one category: ``category_share_max == 1``, count > 0."""
    share = _column(cells, "category_share_max")
    count = _column(cells, "count").fillna(_column(cells, "contributors"))
    return ((share >= 1.0 - 1e-12) & (count > 0)).rename("single_category")


def denominator_rule(cells: pd.DataFrame, params: Parameters | None = None) -> pd.Series:
    """denominator < min_denominator; cells without a minimum are not tested, a missing
    denominator where a minimum applies counts as 0 (unsafe)."""
    minimum = _column(cells, "min_denominator")
    denominator = _column(cells, "denominator").fillna(0.0)
    return (minimum.notna() & (denominator < minimum)).rename("denominator")


def primary_status(cells: pd.DataFrame, params: Parameters) -> pd.Series:
    """One status code per cell: A > B > T > V (see the module docstring)."""
    frequency = frequency_rule(cells, params).to_numpy()
    concentration = (
        dominance_rule(cells, params)
        | p_percent_rule(cells, params)
        | single_category_rule(cells, params)
    ).to_numpy()
    denominator = denominator_rule(cells, params).to_numpy()
    status = np.select(
        [frequency, concentration, denominator],
        [codes.FREQUENCY, codes.DOMINANCE, codes.DENOMINATOR],
        default=codes.SAFE,
    )
    return pd.Series(status, index=cells.index, name="status", dtype=object)


def required_protection(
    cells: pd.DataFrame, status: pd.Series, params: Parameters, value: str = "count"
) -> pd.Series:
    """The protection (minimum width of the attacker's interval) each cell needs in the audit.

    * A, T, S and B without magnitudes (single category): ``max(safety_range% * value, 1)``,
      the tau-ARGUS FREQ(n, range) interval; ``value`` names the column the relations add up
      (``count``, or ``total`` for a magnitude table); an unknown value (S) needs 1.
    * B with magnitudes: ``max(p% * top1, 100/k * topn - total)``: the p%-rule's and the
      (n,k)-rule's protection, whichever is larger.
    * D, V, N: 0 (a secondary cell protects others; it is not sensitive itself).
    """
    status = pd.Series(status, index=cells.index)
    base = _column(cells, value)
    frequency_like = np.maximum(params.frequency_safety_range / 100.0 * base.fillna(0.0), 1.0)
    total, top1 = _column(cells, "total"), _column(cells, "top1")
    magnitude = total.notna() & top1.notna()
    concentration = pd.Series(0.0, index=cells.index)
    if magnitude.any():
        topn = _topn(cells, params)
        concentration = np.maximum(
            params.p_percent / 100.0 * top1, 100.0 / params.dominance_k * topn - total
        ).clip(lower=0.0)
    protection = np.select(
        [
            status.isin([codes.FREQUENCY, codes.DENOMINATOR, codes.SECRET_AT_SOURCE]),
            (status == codes.DOMINANCE) & magnitude,
            status == codes.DOMINANCE,
        ],
        [frequency_like, concentration, frequency_like],
        default=0.0,
    )
    return pd.Series(protection, index=cells.index, name="protection", dtype=float)
