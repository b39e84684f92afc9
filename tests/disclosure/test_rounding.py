"""Unbiased random rounding with a fixed draw per cell key (apps/disclosure/rounding.py)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from apps.disclosure.rounding import cell_key_uniform, round_counts

SALT = "test-salt-not-the-real-one"


def keys(n: int, prefix: str = "V1|BU03080000|") -> list[str]:
    return [f"{prefix}{year}" for year in range(n)]


def test_deterministic_per_key_across_calls_and_orders():
    values = pd.Series(np.arange(200) % 23, index=range(200))
    first = round_counts(values, keys(200), 5, SALT)
    again = round_counts(values, keys(200), 5, SALT)
    assert first.equals(again)
    order = np.random.default_rng(1).permutation(200)
    shuffled = round_counts(values.iloc[order], [keys(200)[i] for i in order], 5, SALT)
    assert shuffled.sort_index().equals(first)


def test_only_multiples_of_the_base_and_within_one_base():
    values = pd.Series(np.arange(1000))
    rounded = round_counts(values, keys(1000), 5, SALT)
    assert (rounded % 5 == 0).all()
    assert ((rounded - values).abs() < 5).all()
    assert ((rounded == values - values % 5) | (rounded == values - values % 5 + 5)).all()


def test_zero_and_multiples_stay():
    values = pd.Series([0, 0, 5, 10, 250, 0])
    assert round_counts(values, keys(6), 5, SALT).tolist() == [0, 0, 5, 10, 250, 0]


def test_unbiased_on_average():
    n = 20_000
    for value in [1, 2, 3, 4, 7, 13]:
        rounded = round_counts(pd.Series([value] * n), keys(n, f"k{value}|"), 5, SALT)
        assert abs(rounded.mean() - value) < 0.1, value
        # rounds up with probability residual / base
        assert abs((rounded > value).mean() - (value % 5) / 5) < 0.02, value
    mixed = pd.Series(np.random.default_rng(2).integers(0, 200, n))
    assert abs(round_counts(mixed, keys(n, "mixed|"), 5, SALT).mean() - mixed.mean()) < 0.1


def test_differs_between_keys_and_salts():
    values = pd.Series([7] * 100)
    rounded = round_counts(values, keys(100), 5, SALT)
    assert set(rounded) == {5, 10}
    other_salt = round_counts(values, keys(100), 5, "another-secret")
    assert (rounded != other_salt).any()


def test_the_draw_is_uniform():
    draws = cell_key_uniform(keys(5000, "u|"), SALT)
    assert ((draws >= 0) & (draws < 1)).all()
    assert stats.kstest(draws, "uniform").pvalue > 0.001
    assert len(np.unique(draws)) == 5000
    # the same key twice gets the same draw
    twice = cell_key_uniform(["a", "b", "a"], SALT)
    assert twice[0] == twice[2] != twice[1]


def test_other_bases():
    values = pd.Series(np.arange(300))
    assert (round_counts(values, keys(300), 3, SALT) % 3 == 0).all()
    assert round_counts(values, keys(300), 1, SALT).equals(values)
    assert (round_counts(values, keys(300), 10, SALT) % 10 == 0).all()


def test_suppressed_cells_stay_empty_and_the_index_is_kept():
    values = pd.Series([3.0, np.nan, 12.0], index=["x", "y", "z"])
    rounded = round_counts(values, ["k1", "k2", "k3"], 5, SALT)
    assert rounded.index.tolist() == ["x", "y", "z"]
    assert np.isnan(rounded["y"])
    assert rounded["x"] in (0, 5) and rounded["z"] in (10, 15)
    assert round_counts([3, 12], ["k1", "k3"], 5, SALT).dtype == np.int64


@pytest.mark.parametrize(
    ("values", "keys_", "base", "salt", "match"),
    [
        ([-1], ["k"], 5, SALT, "non-negative whole"),
        ([1.5], ["k"], 5, SALT, "non-negative whole"),
        ([float("inf")], ["k"], 5, SALT, "non-negative whole"),
        ([1, 2], ["k"], 5, SALT, "keys"),
        ([1], ["k"], 0, SALT, "base"),
        ([1], ["k"], 5, "", "salt"),
    ],
)
def test_invalid_input(values, keys_, base, salt, match):
    with pytest.raises(ValueError, match=match):
        round_counts(values, keys_, base, salt)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.text(min_size=1, max_size=20)), min_size=1, max_size=50
    ),
    st.sampled_from([2, 3, 5, 10]),
)
def test_property_rounding(pairs, base):
    values = pd.Series([v for v, _ in pairs])
    cell_keys = [k for _, k in pairs]
    rounded = round_counts(values, cell_keys, base, SALT)
    assert (rounded % base == 0).all()
    assert ((rounded - values).abs() < base).all()
    assert (rounded[values == 0] == 0).all()
    assert (rounded[values % base == 0] == values[values % base == 0]).all()
    assert rounded.equals(round_counts(values, cell_keys, base, SALT))
