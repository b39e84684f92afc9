"""Denominators from open figures: the nearest year on the same indeling, a fallback figure,
the sum of the parts where an area has none, and secret figures kept secret."""

import math

import pandas as pd
import pytest

from apps.indicators.staged import StagedData
from tests.indicators.helpers import (
    AMERSFOORT, B1, B2, B3, B4, BAARN, NL, UTRECHT, WK1, WK2, add_observations, add_records, cell, compute,
)

pytestmark = pytest.mark.usefixtures("geo")

YEARS = pd.DataFrame({"vintage": [2024] * 4, "year": [2021, 2022, 2023, 2024]})


def resolved(variable, **options) -> dict:
    frame = StagedData().denominator(variable, YEARS, **options)
    return {(code, year): (value, status) for code, year, value, status in
            frame[["area_code", "year", "denominator", "den_status"]].itertuples(index=False)}


def test_a_year_without_a_figure_takes_the_nearest_year_ties_going_to_the_later():
    add_observations("inwoners", {(B1, 2024): 1000, (B2, 2022): 500, (B2, 2024): 700})

    got = resolved("inwoners")

    assert [got[(B1, year)][0] for year in (2021, 2022, 2023, 2024)] == [1000, 1000, 1000, 1000]
    assert [got[(B2, year)][0] for year in (2021, 2022, 2023, 2024)] == [500, 500, 700, 700]


def test_figures_of_another_indeling_are_not_used():
    add_observations("inwoners", {(B3, 2023): 800}, vintage=2023, dataset="cbs_kwb:pdok-camel")
    add_observations("inwoners", {(B3, 2024): 900})

    got = resolved("inwoners")

    assert got[(B3, 2023)][0] == 900  # the 2023 figure is on the 2023 indeling


def test_the_fallback_figure_fills_areas_without_the_figure_itself():
    add_observations("woningvoorraad", {(B1, 2024): 420}, dataset="cbs_kwb:pdok-snake")
    add_observations("huishoudens", {(B1, 2024): 400, (B2, 2024): 300})

    got = resolved("woningvoorraad", fallback="huishoudens")

    assert got[(B1, 2024)][0] == 420
    assert got[(B2, 2024)][0] == 300


def test_an_area_without_a_figure_gets_the_sum_of_its_parts():
    add_observations("inwoners", {
        (B1, 2024): 1000, (B2, 2024): 500, (B3, 2024): 250,  # WK030800 and WK030801 have no figure
        (BAARN, 2024): 25000, (AMERSFOORT, 2024): 150000,  # no figure for the provincie
        (NL, 2024): 17_942_942,
    })

    got = resolved("inwoners")

    assert got[(WK1, 2024)][0] == 1500
    assert got[(WK2, 2024)][0] == 250
    assert got[(BAARN, 2024)][0] == 25000  # its own figure wins over its parts
    assert got[(UTRECHT, 2024)][0] == 175000
    assert got[(NL, 2024)][0] == 17_942_942


def test_a_figure_secret_at_the_source_stays_secret():
    add_observations("inwoners", {(B4, 2024): "S", (B1, 2024): 1000})

    got = resolved("inwoners")

    value, status = got[(B4, 2022)]
    assert math.isnan(value) and status == "S"
    assert got[(B1, 2022)] == (1000, "")


def test_a_rate_of_an_earlier_year_divides_by_the_nearest_years_figure():
    add_observations("inwoners", {(B1, 2024): 2000, (B4, 2024): "S"})
    add_records("fiu_meldingen", [
        {"buurt": B1, "date": "2021-03-01", "amount": 10.0, "category": "contant"},
        {"buurt": B1, "date": "2024-03-01", "amount": 10.0, "category": "contant"},
        {"buurt": B1, "date": "2024-04-01", "amount": 10.0, "category": "giraal"},
    ])

    cells = compute("verdachte_transacties_per_1000_inwoners")

    assert cell(cells, B1, 2021)["denominator"] == 2000
    assert cell(cells, B1, 2021)["value"] == pytest.approx(0.5)
    assert cell(cells, B1, 2024)["value"] == pytest.approx(1.0)
    secret = cell(cells, B4, 2024)
    assert secret["status"] == "S" and math.isnan(secret["value"])
