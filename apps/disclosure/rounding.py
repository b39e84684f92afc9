"""Unbiased random rounding of counts with a fixed draw per cell (BRIEF §5 rule 5).

A count x with residual r = x mod b is rounded up to x - r + b with probability r/b and down to
x - r otherwise, so the expected rounded value is x (unbiased; CBS "aselect afronden"). The
random draw u in [0, 1) is not random per run but a function of the cell: HMAC-SHA-256 of the
cell's key string under a secret salt (the keyed form of "SHA-256 of salt + key"). The same cell
therefore always shows the same value, and averaging repeated releases learns nothing (the idea
of the Cell Key Method). x rounds up exactly when u < r/b.

The salt is as confidential as the rule parameters: whoever knows it can compute u and narrow
the true count. Build the key from what identifies the cell, never from its value, e.g.
``f"{indicator}|{area_code}|{year}"``. Pure module, no Django.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

import numpy as np
import pandas as pd


def cell_key_uniform(keys: Iterable, salt: str | bytes) -> np.ndarray:
    """A uniform draw in [0, 1) per key: the first 53 bits of HMAC-SHA-256(salt, key)."""
    secret = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    if not secret:
        raise ValueError("the rounding salt must not be empty")
    keys = pd.Series(list(keys) if not isinstance(keys, pd.Series) else keys, dtype=object).astype(
        str
    )
    positions, uniques = pd.factorize(keys, sort=False)
    # hmac.digest is the one-shot C implementation: a few times faster than hmac.new per key.
    digests = b"".join(hmac.digest(secret, key.encode("utf-8"), "sha256")[:8] for key in uniques)
    draws = (np.frombuffer(digests, dtype=">u8") >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return draws[positions] if len(positions) else np.empty(0)


def round_counts(values, keys, base: int = 5, salt: str | bytes = "") -> pd.Series:
    """Round non-negative whole counts to multiples of ``base``, unbiased, noise fixed per key.

    ``values`` and ``keys`` have equal length (Series or sequences). NaN (a suppressed cell)
    stays NaN; 0 stays 0; multiples of ``base`` are unchanged. Returns a Series indexed like
    ``values`` (int64 when there is no NaN, else float64).
    """
    base = int(base)
    if base < 1:
        raise ValueError("the rounding base must be at least 1")
    index = (
        values.index
        if isinstance(values, pd.Series)
        else (keys.index if isinstance(keys, pd.Series) else None)
    )
    x = pd.to_numeric(pd.Series(np.asarray(values, dtype=object)), errors="coerce").to_numpy(
        dtype=float
    )
    key_list = list(keys)
    if len(key_list) != len(x):
        raise ValueError(f"{len(x)} values but {len(key_list)} keys")
    known = ~np.isnan(x)
    if (x[known] < 0).any() or (x[known] != np.round(x[known])).any() or np.isinf(x[known]).any():
        raise ValueError("round_counts rounds non-negative whole counts only")
    residual = np.mod(x, base)
    up = cell_key_uniform(key_list, salt) < residual / base
    rounded = x - residual + base * up
    result = pd.Series(rounded, index=index, name=getattr(values, "name", None))
    return result if not known.all() else result.astype(np.int64)
