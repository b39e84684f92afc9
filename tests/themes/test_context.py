"""Context figures: open figures as published, and registered crime per 1,000 inhabitants with
the year fallback of its denominator."""

import math

import pytest

from tests.indicators.helpers import B1, B4, BAARN, add_observations, cell, compute

pytestmark = pytest.mark.usefixtures("geo")


def test_open_figures_are_published_as_received_secret_codes_kept():
    add_observations("woz_gemiddeld", {(B1, 2024): 512.0, (B4, 2024): "S"})

    cells = compute("woz_gemiddeld")

    assert cell(cells, B1, 2024)["value"] == 512.0
    secret = cell(cells, B4, 2024)
    assert secret["status"] == "S" and math.isnan(secret["value"])
    assert not cells["synthetic"].any()


def test_registered_crime_per_1000_inhabitants_uses_the_nearest_years_inhabitants():
    add_observations("geregistreerde_misdrijven", {(B1, 2021): 30, (B1, 2024): 45, (BAARN, 2021): 900},
                     dataset="politie_misdrijven")
    add_observations("inwoners", {(B1, 2024): 1500, (BAARN, 2024): 25000})

    cells = compute("misdrijven_per_1000_inwoners")

    assert cell(cells, B1, 2021)["value"] == pytest.approx(20.0)
    assert cell(cells, B1, 2024)["value"] == pytest.approx(30.0)
    assert cell(cells, BAARN, 2021)["value"] == pytest.approx(36.0)
    assert cell(cells, BAARN, 2021)["denominator"] == 25000
