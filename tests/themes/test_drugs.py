"""Drugs on hand-made registrations and convictions, against values computed by hand."""

import pytest

from apps.core.area_codes import level_of
from tests.indicators.helpers import (
    AMERSFOORT, B1, B2, B4, BAARN, NL, UTRECHT, WK1, add_observations, add_records, cell, compute,
)

pytestmark = pytest.mark.usefixtures("geo")


@pytest.fixture
def registrations():
    add_records("gemeentelijke_registraties", [
        {"buurt": B1, "date": "2024-02-01", "category": "hennepkwekerij"},
        {"buurt": B1, "date": "2024-03-01", "category": "hennepkwekerij"},
        {"buurt": B1, "date": "2024-04-01", "category": "sluiting_13b"},
        {"buurt": B4, "date": "2024-05-01", "category": "drugsafval"},
        {"buurt": B1, "date": "2023-06-01", "category": "hennepkwekerij"},
    ])
    add_observations("woningvoorraad", {(B1, 2024): 500}, dataset="cbs_kwb:pdok-snake")
    add_observations("oppervlakte_land_ha", {(B1, 2024): 100, (B4, 2024): 200})


def test_registrations_per_1000_dwellings_and_per_100_km2(registrations):
    hennep = compute("hennepkwekerijen_per_1000_woningen")
    assert cell(hennep, B1, 2024)["value"] == pytest.approx(4.0)
    assert cell(hennep, B1, 2023)["value"] == pytest.approx(2.0)

    closures = compute("sluitingen_13b_per_1000_woningen")
    assert cell(closures, B1, 2024)["value"] == pytest.approx(2.0)
    assert cell(closures, B1, 2023)["value"] == 0  # a year of the extract without closures

    waste = compute("drugsafvaldumpingen_per_100_km2")
    assert cell(waste, B4, 2024)["value"] == pytest.approx(50.0)  # 1 per 200 ha = 2 km²
    assert cell(waste, B1, 2024)["value"] == 0
    assert cell(waste, UTRECHT, 2024)["value"] == pytest.approx(1 / 300 * 10_000)


@pytest.fixture
def convictions():
    add_records("om_veroordelingen", [
        {"buurt": B1, "date": "2024-03-01", "subject": "P1", "category": "opiumwet", "flags": {"geboortejaar": 2005}},
        {"buurt": B2, "date": "2024-09-01", "subject": "P1", "category": "opiumwet", "flags": {"geboortejaar": 2005}},
        {"buurt": B1, "date": "2024-04-01", "subject": "P2", "category": "opiumwet", "flags": {"geboortejaar": 1980}},
        {"buurt": B1, "date": "2024-05-01", "subject": "P3", "category": "witwassen", "flags": {"geboortejaar": 2003}},
        {"buurt": B4, "date": "2024-06-01", "subject": "P4", "category": "opiumwet", "flags": {"geboortejaar": 2012}},  # 12
        {"buurt": B4, "date": "2024-06-01", "subject": "P5", "category": "opiumwet", "flags": {"geboortejaar": 2000}},  # 24
        {"buurt": B4, "date": "2024-07-01", "subject": "P6", "category": "opiumwet", "flags": {"geboortejaar": 2010}},  # 14
    ])
    add_observations("inwoners", {(B1, 2024): 1000, (B2, 2024): 500, (B4, 2024): 2000, (BAARN, 2024): 25000})


def test_opiumwet_convicts_are_distinct_residents_per_1000_inhabitants(convictions):
    cells = compute("opiumwet_veroordeelden_per_1000_inwoners")

    assert cell(cells, B1, 2024)["value"] == pytest.approx(2.0)  # P1, P2 (P3 is witwassen)
    assert cell(cells, B2, 2024)["value"] == pytest.approx(2.0)  # P1
    wijk = cell(cells, WK1, 2024)
    assert (wijk["numerator"], wijk["denominator"]) == (2, 1500)  # P1 counts once; 1000 + 500 inhabitants
    assert cell(cells, BAARN, 2024)["value"] == pytest.approx(2 / 25000 * 1000)
    assert cell(cells, B4, 2024)["value"] == pytest.approx(1.5)
    assert cell(cells, UTRECHT, 2024)["value"] == pytest.approx(5 / 27000 * 1000)  # Baarn + Amersfoort (2,000)


def test_jonge_aanwas_is_the_share_aged_12_to_23_among_them(convictions):
    cells = compute("jonge_aanwas")

    assert set(level_of(cells["area_code"])) == {"land", "provincie", "gemeente"}
    assert cell(cells, BAARN, 2024)["value"] == pytest.approx(50.0)  # P1 (19) of P1, P2
    assert cell(cells, AMERSFOORT, 2024)["value"] == pytest.approx(200 / 3)  # P4 (12), P6 (14); not P5 (24)
    assert cell(cells, UTRECHT, 2024)["value"] == pytest.approx(60.0)
    assert cell(cells, NL, 2024)["denominator"] == 5
