"""Branches on a hand-made KvK extract: the stock, churn and shares for all branches and per SBI
section, against values computed by hand."""

import pandas as pd
import pytest

from apps.branches.indicators import establishments, window
from apps.branches.sbi import DIVISION_SECTION, section_of, sections
from apps.core.area_codes import level_of
from apps.indicators.staged import StagedData
from tests.indicators.helpers import B1, B4, BAARN, NL, UTRECHT, WK1, add_observations, add_records, cell, compute

pytestmark = pytest.mark.usefixtures("geo")


def firm(id, buurt, sbi, registered, ended=None, *, company, home=False, convicted=False):
    return {"id": id, "buurt": buurt, "sbi": sbi, "date": registered, "end": ended, "subject": company,
            "flags": {"woonadres": home, "bestuurder_veroordeeld": convicted}}


@pytest.fixture
def firms():
    add_records("kvk_vestigingen", [
        firm("V1", B1, "5610", "2010-05-01", company="C1"),
        firm("V2", B1, "5630", "2015-01-01", "2023-06-30", company="C1"),
        firm("V3", B1, "4120", "2022-03-01", company="C2", home=True),
        firm("V4", B1, "6420", "2018-01-01", "2022-12-31", company="C3", convicted=True),
        firm("V5", B1, "6201", "2023-02-01", "2024-08-01", company="C4"),
        firm("V6", B4, "9602", "2012-01-01", company="C5", home=True, convicted=True),
    ])
    add_observations("inwoners", {(BAARN, 2024): 1500, (WK1, 2024): 1500, (B1, 2024): 1000})


def test_sbi_sections_follow_the_sbi_2008_division_table():
    codes = ("0111", "0510", "1011", "35", "3600", "4120", "4511", "4941", "5610", "6201", "6420", "6810",
             "7022", "7711", "8411", "8559", "8690", "9313", "9602", "9700", "9900")
    assert [section_of(code) for code in codes] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert section_of("0400") == "" and section_of("") == ""  # 04 is no division
    assert len(DIVISION_SECTION) == 88
    assert sections(pd.Series(["56101", None, "99", "33", "09"])).tolist() == ["I", "", "U", "C", "B"]


def test_the_window_runs_from_the_first_deregistration_to_the_last_event(firms):
    frame = establishments(StagedData())

    assert window(frame)["year"].tolist() == [2022, 2023, 2024]


def test_the_stock_at_the_end_of_each_year_also_per_section(firms):
    cells = compute("vestigingen")

    assert [cell(cells, B1, year)["value"] for year in (2022, 2023, 2024)] == [3, 3, 2]
    assert cell(cells, B1, 2022)["contributors"] == 2  # V1, V2 of C1 and V3 of C2
    assert cell(cells, NL, 2024)["value"] == 3  # V1, V3, V6
    assert cell(cells, BAARN, 2023, "I")["value"] == 1
    assert cell(cells, BAARN, 2023, "F")["value"] == 1
    assert cell(cells, BAARN, 2023, "J")["value"] == 1
    assert cell(cells, NL, 2024, "S")["value"] == 1
    sections_of_buurt = cells[cells["area_code"].isin([B1, WK1]) & (cells["sbi_section"] != "")]
    assert sections_of_buurt.empty  # per-section cells stop at the gemeente
    per_section = cells[(cells["area_code"] == NL) & (cells["year"] == 2023) & (cells["sbi_section"] != "")]
    assert per_section["value"].sum() == cell(cells, NL, 2023)["value"]


def test_risk_branches_as_share_and_per_1000_inhabitants(firms):
    share = compute("vestigingen_risicobranches_aandeel")
    assert cell(share, WK1, 2022)["value"] == pytest.approx(200 / 3)  # V1, V2 of V1 V2 V3
    assert cell(share, WK1, 2023)["value"] == pytest.approx(100 / 3)  # V1 of V1 V3 V5
    assert cell(share, BAARN, 2023, "I")["value"] == 100
    assert cell(share, BAARN, 2023, "F")["value"] == 0
    assert cell(share, UTRECHT, 2024)["value"] == pytest.approx(200 / 3)  # V1, V6 of V1 V3 V6

    rate = compute("vestigingen_risicobranches_per_1000_inwoners")
    assert cell(rate, WK1, 2023)["value"] == pytest.approx(1 / 1500 * 1000)
    assert cell(rate, BAARN, 2023, "I")["value"] == pytest.approx(1 / 1500 * 1000)
    assert cell(rate, BAARN, 2023, "J")["value"] == 0  # J has establishments, none in a risk branch
    assert cell(rate, B1, 2022)["value"] == pytest.approx(2.0)


def test_churn_is_registrations_plus_deregistrations_over_the_stock_on_1_january(firms):
    cells = compute("bedrijvendynamiek")

    assert cell(cells, B1, 2022)["value"] == pytest.approx(200 / 3)  # V3 in, V4 out; V1 V2 V4 on 1 January
    assert cell(cells, B1, 2022)["denominator"] == 3
    assert cell(cells, B1, 2023)["value"] == pytest.approx(200 / 3)  # V5 in, V2 out; V1 V2 V3
    assert cell(cells, B1, 2024)["value"] == pytest.approx(100 / 3)  # V5 out; V1 V3 V5
    assert cell(cells, UTRECHT, 2022)["value"] == pytest.approx(50.0)  # + V6 in the stock
    assert cell(cells, BAARN, 2022, "K")["value"] == 100  # V4 (holding) out of a stock of one
    assert cell(cells, BAARN, 2022, "I")["value"] == 0
    assert cells[(cells["area_code"] == BAARN) & (cells["year"] == 2022) & (cells["sbi_section"] == "F")].empty


def test_residential_addresses_and_convicted_directors(firms):
    home = compute("vestigingen_op_woonadres")
    assert cell(home, WK1, 2023)["value"] == pytest.approx(100 / 3)  # V3
    assert cell(home, NL, 2024)["value"] == pytest.approx(200 / 3)  # V3, V6

    convicted = compute("vestigingen_bestuurder_veroordeeld")
    assert cell(convicted, WK1, 2022)["value"] == 0  # V4 left on 31 December 2022
    assert cell(convicted, B4, 2024)["value"] == 100
    assert cell(convicted, NL, 2024, "S")["value"] == 100
    assert set(level_of(convicted.loc[convicted["sbi_section"] != "", "area_code"])) == {
        "gemeente", "provincie", "land"}
