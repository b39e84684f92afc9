"""Verdachte transacties on a hand-made FIU extract, against values computed by hand."""

import pytest

from apps.indicators.models import RiskBranch
from tests.indicators.helpers import B1, B4, NL, UTRECHT, add_observations, add_records, cell, compute

pytestmark = pytest.mark.usefixtures("geo")


@pytest.fixture
def reports():
    add_records("fiu_meldingen", [
        {"buurt": B1, "date": "2024-01-05", "amount": 1000.0, "category": "contant"},
        {"buurt": B1, "date": "2024-02-05", "amount": 3000.0, "category": "geldtransfer", "sbi": "5610"},
        {"buurt": B1, "date": "2024-03-05", "amount": 6000.0, "category": "giraal", "sbi": "6201"},
        {"buurt": B4, "date": "2024-04-05", "amount": 500.0, "category": "overig", "sbi": "96021"},
    ])
    add_observations("inwoners", {(B1, 2024): 1000, (B4, 2024): 500})


def test_reports_and_their_value_per_inhabitant(reports):
    count = compute("verdachte_transacties_per_1000_inwoners")
    assert cell(count, B1, 2024)["value"] == pytest.approx(3.0)
    assert cell(count, B4, 2024)["value"] == pytest.approx(2.0)

    value = compute("waarde_verdachte_transacties_per_inwoner")
    b1 = cell(value, B1, 2024)
    assert b1["value"] == pytest.approx(10.0)
    assert (b1["total"], b1["top1"], b1["top2"], b1["contributors"]) == (10_000, 6000, 3000, 3)
    utrecht = cell(value, UTRECHT, 2024)
    assert (utrecht["total"], utrecht["top1"], utrecht["top2"]) == (10_500, 6000, 3000)
    assert utrecht["value"] == pytest.approx(10_500 / 1500)


def test_shares_of_cash_or_transfer_and_of_risk_branches(reports):
    cash = compute("verdachte_transacties_contant_of_geldtransfer")
    assert cell(cash, B1, 2024)["value"] == pytest.approx(200 / 3)
    assert cell(cash, B4, 2024)["value"] == 0
    assert cell(cash, NL, 2024)["value"] == pytest.approx(50.0)

    risk = compute("verdachte_transacties_risicobranches")
    assert cell(risk, B1, 2024)["value"] == pytest.approx(100 / 3)  # 5610 restaurants
    assert cell(risk, B4, 2024)["value"] == pytest.approx(100.0)  # 96021 lies in risk branch 9602
    assert cell(risk, NL, 2024)["value"] == pytest.approx(50.0)


def test_the_risk_branches_are_the_active_ones_stewards_keep(reports):
    RiskBranch.objects.filter(sbi_code="5610").update(active=False)

    risk = compute("verdachte_transacties_risicobranches")

    assert cell(risk, B1, 2024)["value"] == 0


def test_average_amount(reports):
    cells = compute("gemiddeld_bedrag_verdachte_transacties")

    assert cell(cells, B1, 2024)["value"] == pytest.approx(10_000 / 3)
    assert cell(cells, UTRECHT, 2024)["value"] == pytest.approx(2625.0)
    assert cell(cells, UTRECHT, 2024)["top1"] == 6000
