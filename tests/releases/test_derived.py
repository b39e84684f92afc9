"""Nederland and provincies derived from the gemeenten where the source has no figure of its own
(the police publish gemeenten and buurten only): a sum for counts, the sum of the numerators over
the sum of the denominators for rates, only when every gemeente has a published figure, and
marked as derived in the release, the pages' cells, the API and the downloads."""

import numpy as np
import pandas as pd
import pytest

from apps.disclosure.models import DisclosureReport, ProtectedCell
from apps.geography.levels import NEDERLAND_CODE, Level
from apps.geography.models import Area
from apps.releases import derived, services
from apps.releases import selectors as reader

COUNT, RATE = "geregistreerde_misdrijven", "misdrijven_per_1000_inwoners"
COLUMNS = ["indicator", "area_code", "vintage", "year", "sbi_section", "value", "status", "numerator", "denominator"]
# Two provincies: PV01 with gemeenten G1 and G2, PV02 with G3.
AREAS = pd.DataFrame(
    [(2024, "NL00", "land", ""), (2024, "PV01", "provincie", "PV01"), (2024, "PV02", "provincie", "PV02"),
     (2024, "GM0001", "gemeente", "PV01"), (2024, "GM0002", "gemeente", "PV01"), (2024, "GM0003", "gemeente", "PV02"),
     (2024, "BU00010000", "buurt", "PV01")],
    columns=["vintage", "area_code", "level", "provincie_code"],
)


def cells(rows, indicator=COUNT) -> pd.DataFrame:
    """rows: (area_code, value, status[, numerator, denominator]), all in 2024."""
    frame = pd.DataFrame(
        [(indicator, r[0], 2024, 2024, "", r[1], r[2], *(r[3:] or (np.nan, np.nan))) for r in rows], columns=COLUMNS,
    )
    frame["value"] = frame["value"].astype(float)
    return frame


def by_code(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["area_code"], frame["value"], strict=True))


def test_counts_of_every_gemeente_add_up_to_nederland_and_to_complete_provincies():
    found = derived.totals(cells([("GM0001", 10, "V"), ("GM0002", 20, "V"), ("GM0003", 5, "V"),
                                  ("BU00010000", 4, "V")]), AREAS, kind="count", scale=None)
    assert by_code(found) == {"NL00": 35.0, "PV01": 30.0, "PV02": 5.0}
    assert found["derived"].all() and (found["status"] == "V").all() and (found["year"] == 2024).all()


def test_a_missing_or_withheld_gemeente_leaves_its_totals_underived():
    missing = derived.totals(cells([("GM0001", 10, "V"), ("GM0003", 5, "V")]), AREAS, kind="count", scale=None)
    assert by_code(missing) == {"PV02": 5.0}  # neither Nederland nor PV01: GM0002 has no figure
    withheld = derived.totals(cells([("GM0001", 10, "V"), ("GM0002", None, "S"), ("GM0003", 5, "V")]), AREAS,
                              kind="count", scale=None)
    assert by_code(withheld) == {"PV02": 5.0}


def test_a_figure_the_source_has_is_kept_not_derived():
    found = derived.totals(cells([("NL00", 99, "V"), ("PV01", None, "N"), ("GM0001", 10, "V"), ("GM0002", 20, "V"),
                                  ("GM0003", 5, "V")]), AREAS, kind="count", scale=None)
    assert by_code(found) == {"PV02": 5.0}


def test_a_rate_is_the_sum_of_numerators_over_the_sum_of_denominators():
    rows = [("GM0001", 10 / 1000 * 1000, "V", 10, 1000), ("GM0002", 30 / 3000 * 1000, "V", 30, 3000),
            ("GM0003", 1 / 100 * 1000, "V", 1, 100)]
    found = derived.totals(cells(rows, RATE), AREAS, kind="rate", scale=1000).set_index("area_code")
    assert found.loc["NL00", "value"] == pytest.approx(41 / 4100 * 1000)
    assert (found.loc["NL00", "numerator"], found.loc["NL00", "denominator"]) == (41, 4100)
    assert found.loc["PV01", "value"] == pytest.approx(40 / 4000 * 1000)
    # Without the counts under the gemeenten's rates there is nothing to add up; a mean never adds up.
    assert derived.totals(cells([(r[0], r[1], "V") for r in rows], RATE), AREAS, kind="rate", scale=1000).empty
    assert derived.totals(cells(rows), AREAS, kind="mean", scale=None).empty


# ---------------------------------------------------------------- in a built release


def _protect(rows: list[tuple]) -> None:
    """rows: (indicator, area_code, year, value, status, numerator, denominator)."""
    ProtectedCell.objects.all().delete()
    ProtectedCell.objects.bulk_create(
        ProtectedCell(indicator=r[0], area_code=r[1], vintage=2024, year=r[2], value=r[3], status=r[4],
                      numerator=r[5], denominator=r[6])
        for r in rows
    )
    DisclosureReport.objects.create(passed=True, cell_count=len(rows))


@pytest.fixture
def police_release(geo):
    """Police figures for every gemeente in 2024 and for all but one in 2025, a buurt, no Nederland."""
    gemeenten = sorted(Area.objects.filter(vintage=2024, level=Level.GEMEENTE).values_list("code", flat=True))
    rows = []
    for year in (2024, 2025):
        for i, code in enumerate(gemeenten[1:] if year == 2025 else gemeenten):
            crimes, inhabitants = 100.0 + i, 20_000.0 + 10 * i
            rows.append((COUNT, code, year, crimes, "V", crimes, None))
            rows.append((RATE, code, year, crimes / inhabitants * 1000, "V", crimes, inhabitants))
        rows.append((COUNT, "BU03080000", year, 12.0, "V", 12.0, None))
    _protect(rows)
    release = services.build_release(sources=[])
    services.publish(release)
    return release, gemeenten


def test_the_release_derives_nederland_where_every_gemeente_has_a_figure(police_release):
    release, gemeenten = police_release
    nederland = {(c.indicator, c.year): c for c in reader.cells_of_areas(release, [NEDERLAND_CODE])}
    assert set(nederland) == {(COUNT, 2024), (RATE, 2024)}  # 2025 lacks a gemeente: no total
    count, rate = nederland[(COUNT, 2024)], nederland[(RATE, 2024)]
    assert count.derived and rate.derived and count.published
    assert count.value == sum(100.0 + i for i in range(len(gemeenten)))
    inhabitants = sum(20_000.0 + 10 * i for i in range(len(gemeenten)))
    assert rate.value == pytest.approx(count.value / inhabitants * 1000)
    # The gemeenten are compared with the derived Nederland, as with any other.
    baarn = next(c for c in reader.area_cells(release, "GM0308") if c.indicator == RATE and c.year == 2024)
    assert baarn.index_nl == pytest.approx(baarn.value / rate.value * 100) and not baarn.derived
    # Each provincie whose gemeenten all have a figure is their sum: all in 2024, all but one in 2025.
    provincies = [c for c in reader.level_cells(release, indicator=COUNT, level=Level.PROVINCIE, scope=NEDERLAND_CODE)]
    assert provincies and all(c.derived for c in provincies)
    assert {c.year for c in provincies} == {2024, 2025}
    assert release.derived_indicators == [COUNT, RATE]
    assert reader.indicator_years(release) == {COUNT: [2024, 2025], RATE: [2024, 2025]}


def test_the_api_and_the_download_say_a_figure_is_derived(police_release, client):
    rows = client.get(f"/api/v1/waarden/?indicator={RATE}&gebied=NL00,GM0308&jaar=2024").json()["results"]
    flags = {row["gebied"]: row["afgeleid"] for row in rows}
    assert flags == {"NL00": True, "GM0308": False}
    csv = client.get(f"/indicator/{RATE}/?jaar=2024&formaat=csv").content.decode()
    assert "Afgeleid" in csv and "som van de gemeenten" in csv
    page = client.get(f"/indicator/{COUNT}/?niveau=provincie&jaar=2024").content.decode()
    assert "afgeleid: som van de gemeenten" in page
