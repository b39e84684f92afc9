"""Comparisons of every cell (apps/comparisons/compute.py), checked against hand-worked tables.

The standard release (tests/comparisons/tables.py), share "s" in %:

    NL00 300/1000 = 30        PV20 100/400 = 25          PV21 200/600 = 33.33
    GM01 (PV20) 20/100 = 20   GM02 (PV20) 80/300 = 26.67
    GM03 (PV21) 150/300 = 50  GM04 (PV21) 50/300 = 16.67  GM05 (PV21) suppressed (A)

Clopper–Pearson 95% intervals in %: 20/100 (12.67, 29.18), 80/300 (21.75, 32.05),
150/300 (44.20, 55.80), 50/300 (12.63, 21.38).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist
from scipy.stats import zscore

from apps.comparisons.compute import OUTPUT_COLUMNS, compare
from tests.comparisons.tables import NAN, cell, context, frame, release, share

APPROX = {"abs": 1e-3}


@pytest.fixture(scope="module")
def result():
    cells = release()
    out = compare(cells, context(), knn_features=["f"], k=3)
    return pd.concat([cells, out], axis=1).set_index(["indicator", "area_code"])


def at(result, indicator, area, column):
    return result.loc[(indicator, area), column]


def test_output_is_indexed_like_the_cells_with_all_columns():
    cells = release().set_index(pd.Index(range(100, 123)))
    out = compare(cells)
    assert out.index.equals(cells.index)
    assert list(out.columns) == list(OUTPUT_COLUMNS)


def test_index_against_nederland(result):
    assert at(result, "s", "NL00", "index_nl") == pytest.approx(100)
    assert at(result, "s", "GM01", "index_nl") == pytest.approx(20 / 30 * 100)  # 66.67
    assert at(result, "s", "GM03", "index_nl") == pytest.approx(50 / 30 * 100)  # 166.67
    assert at(result, "s", "PV20", "index_nl") == pytest.approx(25 / 30 * 100)  # 83.33
    assert at(result, "m", "GM04", "index_nl") == pytest.approx(100 / 40 * 100)  # 250
    assert np.isnan(at(result, "s", "GM05", "index_nl"))  # suppressed: no value, no index


def test_counts_get_no_index(result):
    counts = result.loc["c"]
    for column in ("index_nl", "index_provincie", "index_peer", "index_knn"):
        assert counts[column].isna().all(), column
    assert counts.loc["GM01", "nl_value"] == 1000  # the comparator itself is still given


def test_index_against_the_provincie(result):
    assert at(result, "s", "GM01", "index_provincie") == pytest.approx(20 / 25 * 100)  # 80
    assert at(result, "s", "GM03", "index_provincie") == pytest.approx(50 / (200 / 6) * 100)  # 150
    assert at(result, "m", "GM02", "index_provincie") == pytest.approx(20 / 15 * 100)
    # Nederland and the provincies themselves have no provincie to compare with.
    assert np.isnan(at(result, "s", "NL00", "index_provincie"))
    assert np.isnan(at(result, "s", "PV20", "index_provincie"))


def test_peer_group_labels(result):
    # GM02 2.6 and GM03 3.4 round to urbanity 3; 49,999 inhabitants is still 20k-50k.
    for code in ("GM01", "GM02", "GM03", "GM04", "GM05"):
        assert at(result, "s", code, "peer_group") == "gemeente|3|20k-50k"
    assert at(result, "m", "GM06", "peer_group") == "gemeente|1|>=100k"
    assert at(result, "s", "NL00", "peer_group") == ""
    assert at(result, "s", "PV20", "peer_group") == ""


def test_peer_value_of_a_share_is_pooled_without_the_cell_itself(result):
    # GM01: the others GM02–GM04: (80 + 150 + 50) / (300 + 300 + 300) = 31.11%
    assert at(result, "s", "GM01", "peer_value") == pytest.approx(280 / 900 * 100)
    assert at(result, "s", "GM01", "index_peer") == pytest.approx(20 / (280 / 9) * 100)  # 64.29
    # GM03: (20 + 80 + 50) / (100 + 300 + 300) = 21.43%
    assert at(result, "s", "GM03", "peer_value") == pytest.approx(150 / 700 * 100)
    # GM05 is suppressed, so it is no member: all four, 300 / 1000 = 30%. Its numerator (999)
    # must count nowhere: with it GM01's peer value would be (280 + 999) / 1900.
    assert at(result, "s", "GM05", "peer_value") == pytest.approx(30)
    assert np.isnan(at(result, "s", "GM05", "index_peer"))


def test_peer_value_of_a_mean_is_the_median_of_the_others(result):
    # m: GM01 10, GM02 20, GM03 30, GM04 100 (GM06 is in another peer group)
    assert at(result, "m", "GM01", "peer_value") == 30  # median(20, 30, 100)
    assert at(result, "m", "GM02", "peer_value") == 30  # median(10, 30, 100)
    assert at(result, "m", "GM03", "peer_value") == 20  # median(10, 20, 100)
    assert at(result, "m", "GM04", "peer_value") == 20  # median(10, 20, 30)
    assert at(result, "m", "GM04", "index_peer") == pytest.approx(500)
    assert np.isnan(at(result, "m", "GM06", "peer_value"))  # no other member
    assert at(result, "c", "GM01", "peer_value") == 30  # counts: median(20, 30, 40)


def test_median_of_an_even_number_of_others():
    codes = ["GM01", "GM02", "GM03", "GM04", "GM05"]
    cells = frame(
        [cell("NL00", 50, kind="mean", scale=NAN)]
        + [
            cell(code, v, kind="mean", scale=NAN)
            for code, v in zip(codes, [10, 20, 30, 40, 1000], strict=True)
        ]
    )
    out = compare(cells, context()).set_index(cells["area_code"])
    assert out.loc["GM05", "peer_value"] == 25  # median(10, 20, 30, 40)
    assert out.loc["GM01", "peer_value"] == 35  # median(20, 30, 40, 1000)
    assert out.loc["GM03", "peer_value"] == 30  # median(10, 20, 40, 1000)


def test_no_peer_value_with_fewer_than_three_others():
    cells = frame(
        [share("NL00", 30, 100), share("GM01", 1, 10), share("GM02", 2, 10), share("GM03", 3, 10)]
    )
    out = compare(cells, context())
    assert out["peer_value"].iloc[1:].isna().all()  # each has two others


def test_a_share_published_without_counts_falls_back_to_the_median():
    # CBS publishes some shares as percentages only: pooling is impossible, the median is not.
    cells = frame(
        [cell("NL00", 50)]
        + [
            cell(code, v)
            for code, v in zip(["GM01", "GM02", "GM03", "GM04"], [10, 20, 30, 70], strict=True)
        ]
    )
    out = compare(cells, context()).set_index(cells["area_code"])
    assert out.loc["GM01", "peer_value"] == 30  # median(20, 30, 70)
    assert out["sig_nl"].eq("").all()  # and no exact test without counts


def test_nearest_neighbours(result):
    # f: GM01 0, GM02 1, GM03 3, GM04 7, GM05 12, GM06 30 (z-scoring keeps the order on a line)
    assert at(result, "s", "GM01", "knn_codes") == "GM02,GM03,GM04"
    assert at(result, "s", "GM02", "knn_codes") == "GM01,GM03,GM04"
    assert at(result, "s", "GM03", "knn_codes") == "GM02,GM01,GM04"  # distances 2, 3, 4
    assert at(result, "s", "GM04", "knn_codes") == "GM03,GM05,GM02"  # distances 4, 5, 6
    assert at(result, "s", "GM01", "knn_value") == pytest.approx(280 / 900 * 100)
    assert at(result, "s", "GM03", "knn_value") == pytest.approx(150 / 700 * 100)
    assert at(result, "s", "GM03", "index_knn") == pytest.approx(50 / (150 / 7) * 100)  # 233.33
    # GM04's neighbour GM05 is suppressed: two values are too few.
    assert np.isnan(at(result, "s", "GM04", "knn_value"))
    assert at(result, "m", "GM01", "knn_value") == 30  # median(20, 30, 100)
    assert at(result, "s", "NL00", "knn_codes") == ""


def test_neighbours_are_found_on_standardised_features():
    rng = np.random.default_rng(7)
    n = 40
    codes = [f"GM{i:04d}" for i in range(n)]
    features = np.column_stack([rng.normal(0, 1, n), rng.normal(0, 1000, n)])
    features[5, 1] = NAN  # an area with a missing feature is left out of everything
    ctx = pd.DataFrame(
        {
            "area_code": codes,
            "vintage": 2024,
            "year": 2024,
            "stedelijkheid": 3,
            "inwoners": 30_000,
            "a": features[:, 0],
            "b": features[:, 1],
        }
    )
    cells = frame([cell("NL00", 1, kind="mean")] + [cell(c, 1.0, kind="mean") for c in codes])
    out = compare(cells, ctx, knn_features=["a", "b"], k=4).set_index(cells["area_code"])
    complete = np.delete(np.arange(n), 5)
    z = zscore(features[complete], axis=0)
    distance = cdist(z, z)
    np.fill_diagonal(distance, np.inf)
    for row, i in enumerate(complete):
        expected = ",".join(codes[complete[j]] for j in np.argsort(distance[row])[:4])
        assert out.loc[codes[i], "knn_codes"] == expected
    assert out.loc[codes[5], "knn_codes"] == ""
    assert not out["knn_codes"].str.contains(codes[5]).any()
    assert out.loc[codes[0], "knn_value"] == 1


def test_percentile_rank(result):
    # s among gemeenten: 16.67 → 25, 20 → 50, 26.67 → 75, 50 → 100; provincies 25 → 50, 33 → 100
    expected = {
        "GM04": 25,
        "GM01": 50,
        "GM02": 75,
        "GM03": 100,
        "PV20": 50,
        "PV21": 100,
        "NL00": 100,
    }
    for code, percentile in expected.items():
        assert at(result, "s", code, "percentile") == pytest.approx(percentile), code
    assert np.isnan(at(result, "s", "GM05", "percentile"))
    # m among gemeenten (10, 20, 30, 100, 500): GM01 20 ... GM06 100
    assert at(result, "m", "GM01", "percentile") == pytest.approx(20)
    assert at(result, "m", "GM06", "percentile") == pytest.approx(100)


def test_percentile_within_the_gemeente_and_ties():
    # wijken of GM0001: 1, 2, 2; of GM0002: 5. Equal values share the higher rank.
    cells = frame(
        [cell("NL00", 3, kind="mean"), cell("GM0001", 2, kind="mean")]
        + [
            cell(code, v, kind="mean")
            for code, v in [("WK000101", 1), ("WK000102", 2), ("WK000103", 2), ("WK000201", 5)]
        ]
    )
    out = compare(cells).set_index(cells["area_code"])
    assert out.loc["WK000101", "percentile_gemeente"] == pytest.approx(100 / 3)
    assert out.loc["WK000102", "percentile_gemeente"] == pytest.approx(100)
    assert out.loc["WK000103", "percentile_gemeente"] == pytest.approx(100)
    assert out.loc["WK000201", "percentile_gemeente"] == pytest.approx(100)  # alone
    assert out.loc["WK000101", "percentile"] == pytest.approx(25)  # 1 of 4 wijken <= 1
    assert out.loc["WK000102", "percentile"] == pytest.approx(75)  # 3 of 4 <= 2
    assert np.isnan(out.loc["GM0001", "percentile_gemeente"])
    assert out.loc["GM0001", "percentile"] == 100  # a single gemeente


def test_significance_marks(result):
    # against NL 30: 20/100 (12.67, 29.18) below, 80/300 (21.75, 32.05) contains,
    # 150/300 (44.20, 55.80) above, 50/300 (12.63, 21.38) below
    expected = {"GM01": "-", "GM02": "=", "GM03": "+", "GM04": "-", "GM05": "", "NL00": ""}
    for code, mark in expected.items():
        assert at(result, "s", code, "sig_nl") == mark, code
    # PV20 100/400 (20.83, 29.54) lies below NL
    assert at(result, "s", "PV20", "sig_nl") == "-"
    # against the provincie: GM01 vs 25 contains, GM04 vs 33.33 below
    assert at(result, "s", "GM01", "sig_provincie") == "="
    assert at(result, "s", "GM04", "sig_provincie") == "-"
    # against the peers: GM03 vs 21.43 above, GM02 vs 31.43 contains
    assert at(result, "s", "GM03", "sig_peer") == "+"
    assert at(result, "s", "GM02", "sig_peer") == "="
    assert (result.loc["m", "sig_nl"] == "").all()  # a mean has no exact test


def test_nederland_of_zero_or_suppressed_gives_no_index():
    cells = frame([share("NL00", 0, 100), share("GM01", 0, 10)])
    assert compare(cells)["index_nl"].isna().all()
    cells = frame([cell("NL00", NAN, status="A"), share("GM01", 1, 10)])
    out = compare(cells)
    assert out["index_nl"].isna().all() and (out["sig_nl"] == "").all()


def trend_cells():
    rows = [
        share("GM01", 10, 100, year=2023),  # 10% → 20%: +10 points, +100%
        share("GM01", 20, 100, year=2024),
        share("GM02", 0, 100, year=2023),  # from 0: change but no relative change
        share("GM02", 5, 100, year=2024),
        cell("GM03", NAN, status="A", year=2023),  # suppressed the year before
        share("GM03", 5, 100, year=2024),
        share("GM04", 5, 100, year=2024),  # first year of the series
        # GM07 was on the 2023 indeling in 2023 and is on the 2024 indeling in 2024.
        share("GM07", 10, 100, year=2023, vintage=2023),
        share("GM07", 30, 100, year=2024, vintage=2024),
    ]
    return frame(rows)


def test_change_on_the_year_before():
    cells = trend_cells()
    out = compare(cells).set_index([cells["area_code"], cells["year"]])
    assert out.loc[("GM01", 2024), "change"] == pytest.approx(10)
    assert out.loc[("GM01", 2024), "change_pct"] == pytest.approx(100)
    assert np.isnan(out.loc[("GM01", 2023), "change"])
    assert out.loc[("GM02", 2024), "change"] == pytest.approx(5)
    assert np.isnan(out.loc[("GM02", 2024), "change_pct"])
    assert np.isnan(out.loc[("GM03", 2024), "change"])
    assert np.isnan(out.loc[("GM04", 2024), "change"])
    assert not out.loc[[("GM01", 2024), ("GM03", 2024), ("GM04", 2024)], "series_break"].any()


def test_other_indeling_is_a_series_break_unless_continuity_bridges_it():
    cells = trend_cells()
    out = compare(cells).set_index([cells["area_code"], cells["year"]])
    assert np.isnan(out.loc[("GM07", 2024), "change"])
    assert out.loc[("GM07", 2024), "series_break"]
    continuity = pd.DataFrame(
        {"area_code": ["GM07"], "vintage": [2024], "previous_vintage": [2023]}
    )
    out = compare(cells, continuity=continuity).set_index([cells["area_code"], cells["year"]])
    assert out.loc[("GM07", 2024), "change"] == pytest.approx(20)
    assert out.loc[("GM07", 2024), "change_pct"] == pytest.approx(200)
    assert not out.loc[("GM07", 2024), "series_break"]
    # Continuity of another area bridges nothing here.
    other = continuity.assign(area_code="GM08")
    out = compare(cells, continuity=other).set_index([cells["area_code"], cells["year"]])
    assert out.loc[("GM07", 2024), "series_break"]


def test_change_stays_within_indicator_and_section():
    cells = frame(
        [
            share("GM01", 10, 100, year=2023),
            share("GM01", 20, 100, year=2024, sbi_section="C"),
            share("GM01", 30, 100, year=2023, indicator="t"),
            share("GM01", 40, 100, year=2024),
        ]
    )
    out = compare(cells)
    assert out["change"].tolist()[3] == pytest.approx(30)  # s, '' : 10 → 40
    assert np.isnan(out["change"].iloc[1])  # s, C has no 2023


def test_context_of_the_nearest_year_stands_in():
    ctx = pd.DataFrame(
        {
            "area_code": "GM01",
            "vintage": 2024,
            "year": [2020, 2022, 2025],
            "stedelijkheid": [1, 2, 5],
            "inwoners": [5_000, 15_000, 60_000],
        }
    )
    cells = frame([share("GM01", 1, 10, year=y) for y in (2021, 2024, 2026)])
    out = compare(cells, ctx)
    # 2021: 2020 and 2022 are equally near, the earlier wins; 2024 → 2025; 2026 → 2025
    assert out["peer_group"].tolist() == [
        "gemeente|1|<10k",
        "gemeente|5|50k-100k",
        "gemeente|5|50k-100k",
    ]


def test_missing_context_gives_no_peer_group():
    ctx = context()
    ctx.loc[ctx["area_code"] == "GM02", "stedelijkheid"] = NAN
    cells = release()
    out = compare(cells, ctx).set_index([cells["indicator"], cells["area_code"]])
    assert out.loc[("s", "GM02"), "peer_group"] == ""
    assert np.isnan(out.loc[("s", "GM02"), "peer_value"])
    # GM01 now has two peers with a value left (GM03, GM04): too few
    assert np.isnan(out.loc[("s", "GM01"), "peer_value"])
    assert compare(cells)["peer_group"].eq("").all()


def test_size_classes_of_wijken_and_buurten_and_urbanity_out_of_range():
    ctx = pd.DataFrame(
        {
            "area_code": ["WK000101", "BU00010101", "WK000102", "WK000103", "WK000104"],
            "vintage": 2024,
            "year": 2024,
            "stedelijkheid": [1, 2.5, 4.49, 5.6, 0.4],
            "inwoners": [999, 2_500, 10_000, 100, 100],
        }
    )
    cells = frame([cell(code, 1.0) for code in ctx["area_code"]])
    # 2.5 rounds half up to 3; 5.6 and 0.4 round to 6 and 0: no class 1..5, no peer group
    assert compare(cells, ctx)["peer_group"].tolist() == [
        "wijk|1|<1k",
        "buurt|3|2.5k-5k",
        "wijk|4|>=10k",
        "",
        "",
    ]


def test_duplicate_cells_are_refused():
    cells = frame([share("GM01", 1, 10), share("GM01", 2, 10)])
    with pytest.raises(ValueError, match="more than one row"):
        compare(cells)


def test_empty_release():
    out = compare(release().iloc[:0])
    assert out.empty and list(out.columns) == list(OUTPUT_COLUMNS)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=1, max_size=30),
    st.floats(min_value=0.01, max_value=1e6),
)
def test_properties_of_index_and_percentile(values, national):
    codes = [f"GM{i:04d}" for i in range(len(values))]
    cells = frame(
        [cell("NL00", national, kind="mean")]
        + [cell(code, v, kind="mean") for code, v in zip(codes, values, strict=True)]
    )
    out = compare(cells)
    assert out["index_nl"].iloc[0] == pytest.approx(100)
    percentile = out["percentile"].iloc[1:].to_numpy()
    assert ((percentile > 0) & (percentile <= 100)).all()
    assert percentile.max() == 100
    order = np.argsort(values, kind="stable")
    assert (np.diff(percentile[order]) >= 0).all()  # a higher value never ranks lower
