"""Vastgoed on a small hand-made Kadaster extract, against values computed by hand."""

import math

import pytest

from apps.vastgoed.indicators import flip_through
from apps.indicators.staged import StagedData
from tests.indicators.helpers import (
    AMERSFOORT, B1, B2, B4, NL, UTRECHT, WK1, add_observations, add_records, cell, compute,
)

pytestmark = pytest.mark.usefixtures("geo")

KIND = "kadaster_transacties"


def sale(buurt, day, obj, price, buyer, *, legal=False, mortgage=True, unexplained=False, id=None):
    row = {"buurt": buurt, "date": day, "object": obj, "amount": float(price), "subject": buyer,
           "flags": {"koper_rechtspersoon": legal, "hypotheek": mortgage, "onverklaarbaar": unexplained}}
    if id:
        row["id"] = id
    return row


@pytest.fixture
def sales():
    add_records(KIND, [
        sale(B1, "2024-01-10", "O1", 300_000, "K1", id="T1"),
        sale(B1, "2024-06-10", "O1", 400_000, "K2", legal=True, mortgage=False, unexplained=True, id="T2"),  # flip
        sale(B1, "2024-03-01", "O2", 200_000, "K3", mortgage=False, id="T3"),
        sale(B1, "2024-05-01", "O3", 500_000, "K2", legal=True, id="T4"),
        sale(B4, "2024-02-01", "O4", 250_000, "K4", id="T5"),
        sale(B1, "2023-12-01", "O5", 350_000, "K5", id="T6"),
        sale(B1, "2024-11-15", "O5", 360_000, "K6", id="T7"),  # flip: 350 days after T6, across the year
        # O6: five transfers, each more than a year apart: the fifth makes it a flip-through dwelling
        sale(B2, "2020-01-01", "O6", 200_000, "K7", id="T8"),
        sale(B2, "2021-02-01", "O6", 210_000, "K7", id="T9"),
        sale(B2, "2022-03-01", "O6", 220_000, "K7", id="T10"),
        sale(B2, "2023-04-01", "O6", 230_000, "K7", id="T11"),
        sale(B2, "2024-05-01", "O6", 275_000, "K7", id="T12"),
    ])
    add_observations("woningvoorraad", {(B1, 2024): 250}, dataset="cbs_kwb:pdok-snake")
    add_observations("huishoudens", {(B2, 2024): 100, (NL, 2024): 8_000_000})


def test_flip_through_marks_a_resale_within_a_year_and_the_fifth_transfer(sales):
    frame = StagedData().records(KIND)
    flagged = dict(zip(frame["record_id"], flip_through(frame)))

    assert {record for record, flag in flagged.items() if flag} == {"T2", "T7", "T12"}


def test_shares_of_purchases(sales):
    unexplained = compute("onverklaarbare_aankopen")
    assert cell(unexplained, B1, 2024)["value"] == pytest.approx(20.0)  # T2 of T1 T2 T3 T4 T7
    assert cell(unexplained, B1, 2024)["denominator"] == 5
    assert cell(unexplained, WK1, 2024)["value"] == pytest.approx(100 / 6)  # + T12 in B2
    assert cell(unexplained, B4, 2024)["value"] == 0
    assert cell(unexplained, UTRECHT, 2024)["value"] == pytest.approx(100 / 7)
    assert cell(unexplained, NL, 2023)["value"] == 0 and cell(unexplained, NL, 2023)["denominator"] == 2

    without_mortgage = compute("aankopen_zonder_hypotheek")
    assert cell(without_mortgage, B1, 2024)["value"] == pytest.approx(40.0)  # T2, T3
    assert cell(without_mortgage, NL, 2024)["value"] == pytest.approx(200 / 7)

    legal = compute("aankopen_door_rechtspersonen")
    assert cell(legal, B1, 2024)["value"] == pytest.approx(40.0)  # T2, T4
    assert cell(legal, B1, 2024)["numerator"] == 2
    assert cell(legal, B1, 2024)["contributors"] == 1  # both bought by K2


def test_flip_through_dwellings_are_a_share_of_the_dwellings_sold(sales):
    cells = compute("doorsluiswoningen")

    assert cell(cells, B1, 2024)["value"] == pytest.approx(50.0)  # O1, O5 of O1 O2 O3 O5
    assert cell(cells, B1, 2024)["denominator"] == 4
    assert cell(cells, B2, 2024)["value"] == pytest.approx(100.0)  # O6, fifth transfer
    assert cell(cells, WK1, 2024)["value"] == pytest.approx(60.0)  # 3 of 5 dwellings
    assert cell(cells, B2, 2023)["value"] == 0


def test_transactions_per_1000_dwellings_fall_back_to_households(sales):
    cells = compute("transacties_per_1000_woningen")

    assert cell(cells, B1, 2024)["value"] == pytest.approx(20.0)  # 5 / 250 dwellings
    assert cell(cells, B1, 2021)["value"] == 0  # the 2024 stock for 2021
    assert cell(cells, B2, 2024)["value"] == pytest.approx(10.0)  # 1 / 100 households
    assert cell(cells, WK1, 2024)["denominator"] == 350  # its parts: 250 dwellings + 100 households
    assert cell(cells, WK1, 2024)["value"] == pytest.approx(6 / 350 * 1000)
    assert cell(cells, NL, 2024)["value"] == pytest.approx(7 / 8_000_000 * 1000)
    assert math.isnan(cell(cells, B4, 2024)["value"])  # no figure for B4 at all


def test_average_price_keeps_the_total_and_the_largest_buyers(sales):
    cells = compute("gemiddelde_koopsom")

    b1 = cell(cells, B1, 2024)
    assert b1["value"] == pytest.approx(352_000)  # (300 + 400 + 200 + 500 + 360) / 5
    assert (b1["numerator"], b1["denominator"], b1["contributors"]) == (5, 5, 4)
    assert (b1["total"], b1["top1"], b1["top2"]) == (1_760_000, 900_000, 360_000)  # K2 bought twice
    assert cell(cells, WK1, 2024)["value"] == pytest.approx(2_035_000 / 6)
    assert cell(cells, AMERSFOORT, 2024)["value"] == 250_000
    assert math.isnan(cell(cells, B4, 2023)["value"])  # no sales: no mean
