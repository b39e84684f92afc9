"""The gelegenheidsstructuur profile (apps/comparisons/opportunity.py).

Components p (+1), q (-1), r (+1), gemeenten GM01–GM04:

    p: NL 10; 8, 10, 12, 14     sd (ddof 1) = sqrt((9 + 1 + 1 + 9) / 3) = 2.5820
    q: NL 50; 40, 50, 60, A     sd of 40, 50, 60 = 10
    r: NL 5;  5, 7, A, A        two published values: no sd

    z GM01: p (8 − 10) / 2.582 = −0.7746, q −(40 − 50) / 10 = +1.0, r none → composite 0.1127
    z GM04: p (14 − 10) / 2.582 = +1.5492 only: 1 of 3 components, below half → no composite
"""

import numpy as np
import pandas as pd
import pytest

from apps.comparisons.opportunity import opportunity_profile
from tests.comparisons.tables import NAN, cell, frame

COMPONENTS = {"p": 1, "q": -1, "r": 1}
SD_P = np.sqrt(20 / 3)


def mean(area, indicator, value, **kw):
    status = "V" if not np.isnan(value) else "A"
    return cell(area, value, indicator=indicator, kind="mean", scale=NAN, status=status, **kw)


def release():
    values = {
        "p": {"NL00": 10, "GM01": 8, "GM02": 10, "GM03": 12, "GM04": 14},
        "q": {"NL00": 50, "GM01": 40, "GM02": 50, "GM03": 60, "GM04": NAN},
        "r": {"NL00": 5, "GM01": 5, "GM02": 7, "GM03": NAN, "GM04": NAN},
    }
    rows = [mean(area, slug, v) for slug, by_area in values.items() for area, v in by_area.items()]
    rows.append(mean("GM01", "p", 1000, sbi_section="C"))  # per section: not a component
    rows.append(mean("GM01", "other", 1000))  # not a component
    return frame(rows)


@pytest.fixture(scope="module")
def profile():
    return opportunity_profile(release(), COMPONENTS).set_index("area_code")


def test_columns(profile):
    assert list(profile.reset_index().columns) == [
        "area_code",
        "level",
        "vintage",
        "year",
        "composite",
        "n_components",
        "z_p",
        "z_q",
        "z_r",
    ]


def test_component_scores(profile):
    assert profile.loc["GM01", "z_p"] == pytest.approx(-2 / SD_P)  # −0.7746
    assert profile.loc["GM04", "z_p"] == pytest.approx(4 / SD_P)  # +1.5492
    assert profile.loc["GM02", "z_p"] == pytest.approx(0)
    assert profile.loc["GM01", "z_q"] == pytest.approx(1.0)  # lower q is more opportunity
    assert profile.loc["GM03", "z_q"] == pytest.approx(-1.0)
    assert np.isnan(profile.loc["GM04", "z_q"])  # suppressed
    assert profile["z_r"].isna().all()  # fewer than three published values


def test_composite_needs_half_of_the_components(profile):
    assert profile.loc["GM01", "composite"] == pytest.approx((-2 / SD_P + 1.0) / 2)  # 0.1127
    assert profile.loc["GM01", "n_components"] == 2
    assert np.isnan(profile.loc["GM04", "composite"])
    assert profile.loc["GM04", "n_components"] == 1
    # Nederland: a single value at its level has no spread
    assert profile.loc["NL00", "n_components"] == 0
    assert np.isnan(profile.loc["NL00", "composite"])


def test_no_spread_gives_no_score():
    # three gemeenten at 10 against NL 12: no spread, so no z (not minus infinity)
    cells = frame(
        [mean("NL00", "p", 12.0)] + [mean(a, "p", 10.0) for a in ["GM01", "GM02", "GM03"]]
    )
    result = opportunity_profile(cells, {"p": 1})
    assert result["z_p"].isna().all() and result["composite"].isna().all()


def test_each_level_and_year_has_its_own_spread():
    rows = [mean(a, "p", v) for a, v in [("NL00", 10), ("GM01", 8), ("GM02", 10), ("GM03", 12)]]
    # wijken spread more widely: sd of 0, 10, 20 = 10
    rows += [mean(a, "p", v) for a, v in [("WK000101", 0), ("WK000102", 10), ("WK000103", 20)]]
    rows += [
        mean(a, "p", v, year=2023)
        for a, v in [("NL00", 100), ("GM01", 90), ("GM02", 100), ("GM03", 130)]
    ]
    result = opportunity_profile(frame(rows), {"p": 1}).set_index(["area_code", "year"])
    assert result.loc[("GM01", 2024), "z_p"] == pytest.approx(-1.0)  # (8 − 10) / 2
    assert result.loc[("WK000101", 2024), "z_p"] == pytest.approx(-1.0)  # (0 − 10) / 10
    # 2023: sd of 90, 100, 130 = 20.817
    assert result.loc[("GM03", 2023), "z_p"] == pytest.approx(30 / np.std([90, 100, 130], ddof=1))
    assert result.loc[("GM01", 2024), "composite"] == pytest.approx(-1.0)


def test_no_components_in_the_release():
    result = opportunity_profile(release(), {"missing": 1})
    assert result.empty and "z_missing" in result.columns


def test_a_component_absent_from_the_release_still_has_its_column():
    result = opportunity_profile(release(), {**COMPONENTS, "absent": 1})
    assert result["z_absent"].isna().all()
    # 4 components now: GM01 has 2 of 4 = half, enough
    gm01 = result.set_index("area_code").loc["GM01"]
    assert gm01["composite"] == pytest.approx((-2 / SD_P + 1.0) / 2)
    assert isinstance(result, pd.DataFrame)
