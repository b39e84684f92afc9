"""Kansrijke zoekgebieden (apps/comparisons/zoekgebieden.py).

Theme "drugs" has signal indicators a (+1), b (+1), c (-1) and context indicator ctx (0). A
signal is sig_nl '+' and percentile >= 90 for +1, sig_nl '-' and percentile <= 10 for -1.
"""

import numpy as np
import pandas as pd
import pytest

from apps.comparisons.compute import compare
from apps.comparisons.zoekgebieden import OUTPUT_COLUMNS, search_areas
from tests.comparisons.tables import NAN, cell, frame, share

THEME_OF = {"a": "drugs", "b": "drugs", "c": "drugs", "ctx": "drugs", "x": "vastgoed"}
DIRECTION = {"a": 1, "b": 1, "c": -1, "ctx": 0, "x": 1}


def row(area, indicator, mark, percentile, *, status="V", level=None, section="", year=2024):
    value = NAN if status != "V" else 1.0
    level = level or {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "PV": "provincie"}[area[:2]]
    return {
        "indicator": indicator,
        "direction": DIRECTION[indicator],
        "area_code": area,
        "level": level,
        "vintage": 2024,
        "year": year,
        "sbi_section": section,
        "value": value,
        "status": status,
        "sig_nl": mark if status == "V" else "",
        "percentile": percentile if status == "V" else NAN,
    }


def areas():
    return pd.DataFrame(
        [
            # GM01: a and b (b exactly at the 90th percentile) → two signals
            row("GM01", "a", "+", 95),
            row("GM01", "b", "+", 90),
            row("GM01", "c", "=", 50),
            # GM02: only a; b is high but not significant, c is significant but not low enough
            row("GM02", "a", "+", 95),
            row("GM02", "b", "=", 99),
            row("GM02", "c", "-", 11),
            # GM03: a, and c in its own (lower = more risk) direction
            row("GM03", "a", "+", 95),
            row("GM03", "b", "=", 50),
            row("GM03", "c", "-", 5),
            # GM04: two signals, but c is suppressed
            row("GM04", "a", "+", 99),
            row("GM04", "b", "+", 99),
            row("GM04", "c", "", 0, status="A"),
            # GM05: b is significant but at the 89th percentile
            row("GM05", "a", "+", 95),
            row("GM05", "b", "+", 89),
            row("GM05", "c", "=", 50),
            # GM06: two signals; its suppressed context figure is no signal and no minimum
            row("GM06", "a", "+", 95),
            row("GM06", "b", "+", 95),
            row("GM06", "c", "=", 50),
            row("GM06", "ctx", "", 0, status="A"),
            # GM07: direction -1 with a '+' mark and a low percentile is the wrong way round
            row("GM07", "a", "+", 95),
            row("GM07", "c", "+", 5),
            row("GM07", "b", "=", 50),
            # WK000801: a wijk with two signals counts as well
            row("WK000801", "a", "+", 92),
            row("WK000801", "b", "+", 91),
            # PV20: provincies are not zoekgebieden
            row("PV20", "a", "+", 99),
            row("PV20", "b", "+", 99),
            # GM09: its signals are per SBI section only: sections do not count
            row("GM09", "a", "+", 99, section="C"),
            row("GM09", "b", "+", 99, section="C"),
            row("GM09", "a", "=", 50),
            row("GM09", "b", "=", 50),
        ]
    )


def found(result):
    return {(r.theme, r.area_code): list(r.signals) for r in result.itertuples()}


def test_zoekgebieden_need_two_significant_high_signals_and_no_suppressed_cell():
    result = search_areas(areas(), THEME_OF)
    assert list(result.columns) == OUTPUT_COLUMNS
    assert found(result) == {
        ("drugs", "GM01"): ["a", "b"],
        ("drugs", "GM03"): ["a", "c"],
        ("drugs", "GM06"): ["a", "b"],
        ("drugs", "WK000801"): ["a", "b"],
    }
    assert result["n_signals"].tolist() == [2, 2, 2, 2]
    first = result.iloc[0]
    assert (first["level"], first["vintage"], first["year"]) == ("gemeente", 2024, 2024)


def test_one_signal_is_not_enough_unless_asked():
    assert ("drugs", "GM02") not in found(search_areas(areas(), THEME_OF))
    relaxed = found(search_areas(areas(), THEME_OF, min_signals=1))
    assert relaxed[("drugs", "GM02")] == ["a"]
    assert relaxed[("drugs", "GM05")] == ["a"]
    assert ("drugs", "GM04") not in relaxed  # suppressed stays excluded
    assert ("drugs", "GM07") in relaxed and relaxed[("drugs", "GM07")] == ["a"]


def test_the_percentile_threshold_is_a_parameter():
    strict = found(search_areas(areas(), THEME_OF, percentile=95))
    assert ("drugs", "GM01") not in strict  # b at 90 no longer counts
    assert ("drugs", "GM06") in strict
    assert ("drugs", "GM03") in strict  # c at 5 <= 100 - 95


def test_themes_are_judged_separately_and_unknown_indicators_ignored():
    cells = pd.concat([areas(), pd.DataFrame([row("GM01", "x", "+", 99)])], ignore_index=True)
    cells.loc[len(cells)] = {**row("GM01", "a", "+", 99), "indicator": "unknown"}
    result = search_areas(cells, THEME_OF)
    assert set(result["theme"]) == {"drugs"}  # vastgoed has one signal only
    assert found(search_areas(cells, THEME_OF, min_signals=1))[("vastgoed", "GM01")] == ["x"]


def test_years_are_judged_separately():
    cells = pd.concat(
        [
            areas(),
            pd.DataFrame(
                [row("GM01", "a", "+", 99, year=2023), row("GM01", "b", "=", 99, year=2023)]
            ),
        ],
        ignore_index=True,
    )
    result = search_areas(cells, THEME_OF)
    assert result.loc[result["area_code"] == "GM01", "year"].tolist() == [2024]


def test_nothing_found_gives_an_empty_frame_with_the_columns():
    result = search_areas(areas(), THEME_OF, min_signals=3)
    assert result.empty and list(result.columns) == OUTPUT_COLUMNS


def test_end_to_end_from_compare():
    # Ten gemeenten; GM01 is far above NL on both shares (and the top on both), GM02 on one.
    rows = [
        share("NL00", 1_000, 10_000, indicator="a"),
        share("NL00", 1_000, 10_000, indicator="b"),
    ]
    for i in range(1, 11):
        code = f"GM{i:02d}"
        rows.append(share(code, 300 if i == 1 else (250 if i == 2 else 100), 1000, indicator="a"))
        rows.append(share(code, 300 if i == 1 else 100, 1000, indicator="b"))
    cells = frame(rows)
    cells["direction"] = 1
    joined = pd.concat([cells, compare(cells)], axis=1)
    assert found(search_areas(joined, THEME_OF)) == {("drugs", "GM01"): ["a", "b"]}
    # Suppress one of GM01's cells: it is no longer a zoekgebied.
    suppressed = cells.copy()
    suppressed.loc[
        (suppressed["area_code"] == "GM01") & (suppressed["indicator"] == "b"),
        ["value", "status", "numerator"],
    ] = [np.nan, "B", np.nan]
    joined = pd.concat([suppressed, compare(suppressed)], axis=1)
    assert search_areas(joined, THEME_OF).empty


def test_missing_columns_are_reported():
    with pytest.raises(ValueError, match="sig_nl"):
        search_areas(frame([cell("GM01", 1.0)]), THEME_OF)
