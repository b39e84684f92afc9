"""Exact intervals and significance marks (apps/comparisons/stats.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from apps.comparisons.stats import (
    binomial_interval,
    exact_interval,
    marks_from_interval,
    poisson_interval,
    significance,
)

NAN = np.nan


# Textbook values of the 95% Garwood interval (e.g. Ulm 1990, tables of exact Poisson limits).
@pytest.mark.parametrize(
    ("count", "lower", "upper"),
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.623, 11.668), (10, 4.795, 18.390)],
)
def test_poisson_interval_textbook_values(count, lower, upper):
    lo, hi = poisson_interval([count])
    assert lo[0] == pytest.approx(lower, abs=5e-4)
    assert hi[0] == pytest.approx(upper, abs=5e-4)


# Textbook Clopper–Pearson values: 0/10 → (0, 0.3085), 5/10 → (0.187, 0.813), 10/10 → (0.6915, 1).
@pytest.mark.parametrize(
    ("successes", "trials", "lower", "upper"),
    [(0, 10, 0.0, 0.3085), (5, 10, 0.1871, 0.8129), (10, 10, 0.6915, 1.0)],
)
def test_binomial_interval_textbook_values(successes, trials, lower, upper):
    lo, hi = binomial_interval([successes], [trials])
    assert lo[0] == pytest.approx(lower, abs=5e-4)
    assert hi[0] == pytest.approx(upper, abs=5e-4)


def test_intervals_are_vectorised_and_keep_the_shape():
    counts = np.array([[0, 10], [1, 5]])
    lo, hi = poisson_interval(counts)
    assert lo.shape == hi.shape == (2, 2)
    assert hi[0, 1] == pytest.approx(18.390, abs=5e-4)
    lo, hi = binomial_interval(np.array([0, 5, 10]), 10)  # trials broadcast
    assert lo == pytest.approx([0.0, 0.1871, 0.6915], abs=5e-4)
    assert hi == pytest.approx([0.3085, 0.8129, 1.0], abs=5e-4)


def test_invalid_input_gives_no_interval():
    lo, hi = poisson_interval([NAN, -1, 3])
    assert np.isnan(lo[:2]).all() and np.isnan(hi[:2]).all()
    assert np.isfinite(hi[2])
    # NaN, no trials, a negative count and a rounded count above its rounded group size
    lo, hi = binomial_interval([NAN, 0, -1, 15, 5], [10, 0, 10, 10, NAN])
    assert np.isnan(lo).all() and np.isnan(hi).all()


def test_rate_interval_is_scaled_poisson_interval():
    # 10 events per 1,000 inhabitants, per 1,000: Garwood (4.795, 18.390) / 1000 × 1000.
    lo, hi = exact_interval("rate", 10, 1000, 1000)
    assert (float(lo), float(hi)) == pytest.approx((4.795, 18.390), abs=5e-4)
    # Unscaled (NaN scale): a fraction of the denominator.
    lo, hi = exact_interval("rate", 10, 1000, NAN)
    assert (float(lo), float(hi)) == pytest.approx((0.004795, 0.018390), abs=5e-7)


def test_share_interval_is_scaled_clopper_pearson():
    # 5 of 10 in %: (18.71, 81.29)
    lo, hi = exact_interval("share", 5, 10, 100)
    assert (float(lo), float(hi)) == pytest.approx((18.71, 81.29), abs=5e-2)


def test_significance_marks_against_the_comparator():
    # rate 10 / 1,000 × 1,000 = 10 with interval (4.795, 18.390)
    marks = significance("rate", 10, 1000, 1000, [3.0, 20.0, 10.0, 4.7, 18.5])
    assert list(marks) == ["+", "-", "=", "+", "-"]
    # share 5/10 in % with interval (18.71, 81.29)
    marks = significance("share", 5, 10, 100, [15.0, 90.0, 50.0])
    assert list(marks) == ["+", "-", "="]


def test_bounds_are_inclusive():
    lo, hi = exact_interval("share", 5, 10, 100)
    assert list(significance("share", 5, 10, 100, [float(lo), float(hi)])) == ["=", "="]
    assert list(marks_from_interval([1.0, 1.0], [2.0, 2.0], [0.999, 2.001])) == ["+", "-"]


def test_no_test_where_none_applies():
    marks = significance(
        ["count", "mean", "sum", "rate", "rate", "rate", "share", "share"],
        [10, 10, 10, NAN, 10, 10, 5, 5],
        [1000, 1000, 1000, 1000, 0, NAN, 10, 10],
        [NAN, NAN, NAN, 1000, 1000, 1000, 100, 100],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, NAN, 1.0],
    )
    assert list(marks) == ["", "", "", "", "", "", "", "+"]


def test_significance_is_vectorised_over_mixed_kinds():
    marks = significance(
        np.array(["rate", "share"]), [10, 5], [1000, 10], [1000, 100], np.array([3.0, 90.0])
    )
    assert list(marks) == ["+", "-"]


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=5_000))
def test_garwood_bounds_solve_the_poisson_tail_equations(count):
    # Definition of the exact interval: P(X >= k | lower) = alpha/2 and P(X <= k | upper) = alpha/2.
    lo, hi = poisson_interval([count])
    assert scipy_stats.poisson.cdf(count, hi[0]) == pytest.approx(0.025, rel=1e-6)
    if count > 0:
        assert scipy_stats.poisson.sf(count - 1, lo[0]) == pytest.approx(0.025, rel=1e-6)
    else:
        assert lo[0] == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=2_000), st.floats(min_value=0, max_value=1))
def test_clopper_pearson_bounds_solve_the_binomial_tail_equations(trials, fraction):
    successes = round(trials * fraction)
    lo, hi = binomial_interval([successes], [trials])
    if successes < trials:
        assert scipy_stats.binom.cdf(successes, trials, hi[0]) == pytest.approx(0.025, rel=1e-6)
    else:
        assert hi[0] == 1
    if successes > 0:
        assert scipy_stats.binom.sf(successes - 1, trials, lo[0]) == pytest.approx(0.025, rel=1e-6)
    else:
        assert lo[0] == 0


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["rate", "share"]),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=1, max_value=5_000),
    st.sampled_from([100.0, 1000.0, NAN]),
)
def test_a_cell_is_never_significant_against_its_own_value(kind, numerator, denominator, scale):
    if kind == "share":
        numerator = min(numerator, denominator)
    own = numerator / denominator * (1.0 if np.isnan(scale) else scale)
    assert significance(kind, numerator, denominator, scale, own)[()] == "="
