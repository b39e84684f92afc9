"""Exact confidence intervals and the significance mark shown beside every comparison (BRIEF §6).

A published share or rate of a small area rests on few events, so an approximate (Wald) interval
would be too narrow exactly where it matters. The exact intervals used here hold their coverage
for any count: Garwood's interval for a Poisson count (rates: events per population, dwellings,
...) and Clopper–Pearson's for a binomial proportion (shares of a group). Both come from the
quantiles of the chi-squared and beta distributions in scipy.

The inputs are the published, already rounded counts (BRIEF §5 rule 5), so an interval never
reveals more than the published cell does. Pure module, no Django.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

MARK_ABOVE = "+"
MARK_BELOW = "-"
MARK_CONTAINS = "="
MARK_NONE = ""
TESTED_KINDS = ("share", "rate")


def _float_array(values) -> np.ndarray:
    return np.asarray(values, dtype=float)


def poisson_interval(counts, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Garwood's exact two-sided interval for the mean of a Poisson count.

    lower = chi2.ppf(alpha/2, 2k) / 2 (0 for k = 0), upper = chi2.ppf(1 - alpha/2, 2k + 2) / 2.
    NaN or negative counts give NaN bounds. Returns (lower, upper), arrays shaped like ``counts``.
    """
    k = _float_array(counts)
    valid = np.isfinite(k) & (k >= 0)
    # Published counts are rounded, so a release repeats few distinct counts: evaluate each once.
    unique, inverse = np.unique(np.where(valid, k, 0.0), return_inverse=True)
    lower = np.zeros(unique.shape)
    positive = unique > 0
    lower[positive] = stats.chi2.ppf(alpha / 2, 2 * unique[positive]) / 2
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * (unique + 1)) / 2
    inverse = inverse.reshape(k.shape)
    return np.where(valid, lower[inverse], np.nan), np.where(valid, upper[inverse], np.nan)


def binomial_interval(successes, trials, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson's exact two-sided interval for a binomial proportion, as fractions.

    lower = beta.ppf(alpha/2, x, n - x + 1) (0 for x = 0), upper = beta.ppf(1 - alpha/2, x + 1,
    n - x) (1 for x = n). Invalid input (NaN, n <= 0, x < 0, x > n: a rounded count can exceed a
    rounded group size) gives NaN bounds rather than a confident-looking interval.
    """
    x, n = np.broadcast_arrays(_float_array(successes), _float_array(trials))
    valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    # Evaluate each distinct (x, n) pair once; releases repeat them (rounded counts).
    x_code, x_unique = pd.factorize(np.where(valid, x, 0.0).ravel())
    n_code, n_unique = pd.factorize(np.where(valid, n, 1.0).ravel())
    inverse, pairs = pd.factorize(x_code.astype(np.int64) * len(n_unique) + n_code)
    xx = np.asarray(x_unique, dtype=float)[pairs // len(n_unique)]
    nn = np.asarray(n_unique, dtype=float)[pairs % len(n_unique)]
    lower = np.zeros(len(pairs))
    upper = np.ones(len(pairs))
    some = xx > 0
    lower[some] = stats.beta.ppf(alpha / 2, xx[some], nn[some] - xx[some] + 1)
    not_all = xx < nn
    upper[not_all] = stats.beta.ppf(1 - alpha / 2, xx[not_all] + 1, nn[not_all] - xx[not_all])
    inverse = inverse.reshape(x.shape)
    return np.where(valid, lower[inverse], np.nan), np.where(valid, upper[inverse], np.nan)


def exact_interval(
    kind, numerator, denominator, scale, alpha: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """The exact interval of a published share or rate on its own scale; NaN where none applies.

    A rate is poisson_interval(numerator) / denominator × scale, a share binomial_interval(
    numerator, denominator) × scale. A NaN scale means unscaled (factor 1). Kinds other than
    share and rate, missing numbers and denominators <= 0 give NaN.
    """
    kind, num, den, factor = np.broadcast_arrays(
        np.asarray(kind, dtype=object),
        _float_array(numerator),
        _float_array(denominator),
        _float_array(scale),
    )
    factor = np.where(np.isfinite(factor), factor, 1.0)
    lower = np.full(num.shape, np.nan)
    upper = np.full(num.shape, np.nan)
    usable = np.isfinite(num) & np.isfinite(den) & (den > 0)
    rate = usable & (kind == "rate")
    share = usable & (kind == "share")
    if rate.any():
        lo, hi = poisson_interval(num[rate], alpha)
        lower[rate] = lo / den[rate] * factor[rate]
        upper[rate] = hi / den[rate] * factor[rate]
    if share.any():
        lo, hi = binomial_interval(num[share], den[share], alpha)
        lower[share] = lo * factor[share]
        upper[share] = hi * factor[share]
    return lower, upper


def significance(
    kind, numerator, denominator, scale, comparator_value, alpha: float = 0.05
) -> np.ndarray:
    """Mark whether a cell differs from a comparator beyond chance, one mark per cell.

    '+' when the cell's exact interval lies wholly above the comparator value, '-' wholly below,
    '=' when it contains it (bounds inclusive), '' when no test applies: kinds count, mean and
    sum (no exact model for them), a missing numerator, denominator or comparator, or a
    denominator <= 0. The comparator is treated as fixed, as CBS does when it compares an area
    with Nederland. Returns an object array of str, broadcast over the inputs.
    """
    kind, numerator, denominator, scale, comparator = np.broadcast_arrays(
        np.asarray(kind, dtype=object),
        _float_array(numerator),
        _float_array(denominator),
        _float_array(scale),
        _float_array(comparator_value),
    )
    lower, upper = exact_interval(kind, numerator, denominator, scale, alpha)
    return marks_from_interval(lower, upper, comparator)


def marks_from_interval(lower, upper, comparator_value) -> np.ndarray:
    """The marks of ``significance`` for intervals already computed (one interval, many
    comparators: compute it once)."""
    lower, upper, comparator = np.broadcast_arrays(
        _float_array(lower), _float_array(upper), _float_array(comparator_value)
    )
    tested = np.isfinite(lower) & np.isfinite(upper) & np.isfinite(comparator)
    marks = np.full(lower.shape, MARK_NONE, dtype=object)
    marks[tested] = MARK_CONTAINS
    marks[tested & (lower > comparator)] = MARK_ABOVE
    marks[tested & (upper < comparator)] = MARK_BELOW
    return marks
