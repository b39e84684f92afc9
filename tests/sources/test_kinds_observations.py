"""The aggregated kinds: CBS Kerncijfers wijken en buurten (four layouts) and registered crime."""

import math

import pandas as pd
import pytest

from apps.sources import kinds
from apps.sources.kinds import OBSERVATION_COLUMNS
from apps.sources.tabular import read_table
from tests.sources.helpers import (
    BAARN_CRIME,
    BAARN_KWB,
    BAARN_PDOK,
    CRIME_HEADER,
    UNKNOWN_BUURT,
    parse,
    real,
    where,
    write_crime,
    write_csv,
)

pytestmark = pytest.mark.usefixtures("geo")


def cell(parsed, area_code: str, variable: str, year: int | None = None) -> pd.Series:
    frame = parsed.frame
    match = frame[(frame["area_code"] == area_code) & (frame["variable"] == variable)]
    if year is not None:
        match = match[match["year"] == year]
    assert len(match) == 1, f"{area_code} {variable}: {len(match)} cells"
    return match.iloc[0]


# ------------------------------------------------------------------ cbs_kwb, the four layouts


def test_kwb_cbs_85984_layout():
    parsed = parse(real(BAARN_KWB))

    assert (parsed.kind, parsed.layout, parsed.dataset) == ("cbs_kwb", "cbs-85984", "cbs_kwb:cbs-85984")
    assert parsed.errors == []
    assert parsed.rows_read == 27
    assert parsed.years == [2024]  # from the file name: this layout has no year column
    assert parsed.vintage == 2024
    assert list(parsed.frame.columns) == OBSERVATION_COLUMNS
    baarn = cell(parsed, "GM0308", "inwoners")  # AantalInwoners_5
    assert (baarn["value"], baarn["status"], baarn["level"], baarn["year"]) == (25065, "", "gemeente", 2024)
    assert cell(parsed, "WK030800", "huishoudens")["level"] == "wijk"  # HuishoudensTotaal_29
    assert cell(parsed, "BU03080501", "stedelijkheid")["value"] == 5  # MateVanStedelijkheid_120
    # Text columns are not variables; unmapped figures keep their CBS key.
    variables = set(parsed.frame["variable"])
    assert {"naam", "niveau", "gemeentecode", "MeestVoorkomendePostcode_118"}.isdisjoint(variables)
    assert {"AantalInwoners_5", "Koopwoningen_47"}.isdisjoint(variables)
    assert {"koopwoningen_pct", "woz_gemiddeld", "Bevolkingsdichtheid_34"} <= variables


def test_kwb_pdok_snake_layout_with_cbs_special_codes():
    parsed = parse(real(BAARN_PDOK))

    assert (parsed.layout, parsed.rows_read, parsed.years, parsed.errors) == ("pdok-snake", 21, [2024], [])
    assert set(parsed.frame["level"]) == {"buurt"}
    assert cell(parsed, "BU03080000", "inwoners")["value"] == 1825  # aantal_inwoners
    # -99997 (geheim) as published, in BU03080400's personenautos_per_km2: secret, no value.
    secret = cell(parsed, "BU03080400", "personenautos_per_km2")
    assert secret["status"] == "S" and math.isnan(secret["value"])
    # The same code written from a float column: "-99997.0".
    secret = cell(parsed, "BU03080401", "personenautos_per_huishouden")
    assert secret["status"] == "S" and math.isnan(secret["value"])
    # -99995 (not yet available): the WOZ value of this early release.
    missing = cell(parsed, "BU03080000", "woz_gemiddeld")  # gemiddelde_woningwaarde
    assert missing["status"] == "N" and math.isnan(missing["value"])
    # No special code survives as a figure.
    assert not (parsed.frame["value"] <= -99995).any()
    assert (parsed.frame["status"] == "S").sum() == 9  # SOURCES.md: 9 cells -99997


def test_kwb_pdok_camel_layout_with_a_year_column():
    parsed = parse(real("cbs/kwb_2023_gemeenten_pdok.csv"))

    assert (parsed.layout, parsed.rows_read, parsed.years, parsed.errors) == ("pdok-camel", 342, [2023], [])
    # The 2023 indeling is not loaded: codes are checked for their format only, and it says so.
    assert parsed.warnings and "2023" in parsed.warnings[0]
    assert cell(parsed, "GM0014", "inwoners")["value"] == 238147  # aantalInwoners
    assert "jaar" not in set(parsed.frame["variable"]) and "jrstatcode" not in set(parsed.frame["variable"])


def test_kwb_pdok_camel_layout_takes_the_year_from_the_file_name():
    parsed = parse(real("cbs/kwb_2024_gemeenten_pdok.csv"))

    assert (parsed.layout, parsed.rows_read, parsed.years, parsed.warnings) == ("pdok-camel", 337, [2024], [])
    assert parsed.errors == []


def test_kwb_tmap_layout_maps_urbanity_labels_to_classes():
    parsed = parse(real("cbs/kwb_2022_gemeenten_tmap.csv"))

    assert (parsed.layout, parsed.rows_read, parsed.years, parsed.errors) == ("tmap", 345, [2022], [])
    assert set(parsed.frame["level"]) == {"gemeente"}  # from the code
    urbanity = parsed.frame[parsed.frame["variable"] == "stedelijkheid"].set_index("area_code")["value"]
    assert urbanity["GM0014"] == 1  # extremely urbanised
    assert urbanity["GM0034"] == 2  # strongly urbanised
    assert urbanity["GM0047"] == 3  # moderately urbanised
    assert urbanity["GM0037"] == 4  # hardly urbanised
    assert set(urbanity.dropna()) <= {1, 2, 3, 4, 5}
    assert cell(parsed, "GM0014", "inwoners")["value"] == 234950  # population


def test_kwb_tmap_unknown_urbanity_label_names_the_cell(tmp_path):
    path = write_csv(
        tmp_path / "kwb_2024_tmap.csv",
        ["code", "name", "population", "urbanity"],
        [["GM0308", "Baarn", "25065", "strongly urbanised"], ["GM0363", "Amsterdam", "900000", "metropolis"]],
    )

    parsed = parse(path)

    assert where(parsed.errors) == [("kwb_2024_tmap.csv", 2, "urbanity")]
    assert "expected one of" in parsed.errors[0].message


@pytest.mark.parametrize("text, status", [("-99995", "N"), ("-99997", "S"), (".", "N"), ("", "N")])
def test_kwb_special_codes_become_a_status_without_a_value(tmp_path, text, status):
    path = write_csv(
        tmp_path / "kwb_2024.csv",
        ["regiocode", "niveau", "AantalInwoners_5", "Koopwoningen_47"],
        [["GM0308", "gemeente", "25065", text]],
    )

    parsed = parse(path)

    assert parsed.errors == []
    koop = cell(parsed, "GM0308", "koopwoningen_pct")
    assert koop["status"] == status and math.isnan(koop["value"])
    assert cell(parsed, "GM0308", "inwoners")["status"] == ""


# ------------------------------------------------------------------ cbs_kwb, refused


def _kwb(tmp_path, rows, name="kwb_2024_baarn.csv", header=("regiocode", "niveau", "AantalInwoners_5")):
    return write_csv(tmp_path / name, list(header), rows)


@pytest.mark.parametrize(
    "rows, expected, message",
    [
        ([["GM0308", "gemeente", "25065"], ["GM0363", "wijk", "1"]], [(2, "regiocode")], "does not fit level 'wijk'"),
        ([["WK030800", "buurt", "11955"]], [(1, "regiocode")], "does not fit level 'buurt'"),
        ([[UNKNOWN_BUURT, "buurt", "10"]], [(1, "regiocode")], f"unknown area code {UNKNOWN_BUURT}"),
        ([["GM0308", "gemeente", "25065"], ["GM0308", "gemeente", "25065"]], [(2, "regiocode")], "appears twice"),
        ([["GM0308", "gemeente", "-5"]], [(1, "AantalInwoners_5")], "a count cannot be negative"),
        ([["GM0308", "gemeente", "veel"]], [(1, "AantalInwoners_5")], "text 'veel' in a number field"),
        ([["GM0308", "gemeente", "inf"]], [(1, "AantalInwoners_5")], "text 'inf' in a number field"),
    ],
    ids=["gemeente-code-as-wijk", "wijk-code-as-buurt", "unknown-code", "duplicate", "negative", "text", "inf"],
)
def test_kwb_bad_cells_are_named(tmp_path, rows, expected, message):
    parsed = parse(_kwb(tmp_path, rows), "cbs_kwb")

    assert where(parsed.errors) == [("kwb_2024_baarn.csv", row, column) for row, column in expected]
    assert message in parsed.errors[0].message


def test_kwb_without_a_year_is_refused_until_the_year_is_given(tmp_path):
    path = _kwb(tmp_path, [["GM0308", "gemeente", "25065"]], name="kerncijfers_baarn.csv")

    refused = parse(path, "cbs_kwb")
    assert where(refused.errors) == [("kerncijfers_baarn.csv", None, "")]
    assert "year" in refused.errors[0].message and refused.frame is None

    given = parse(path, "cbs_kwb", year=2024)
    assert given.errors == [] and given.years == [2024]
    assert cell(given, "GM0308", "inwoners")["year"] == 2024


def test_kwb_file_name_with_two_years_does_not_say_its_year(tmp_path):
    path = _kwb(tmp_path, [["GM0308", "gemeente", "25065"]], name="kwb_2023_2024.csv")

    assert "year" in parse(path, "cbs_kwb").errors[0].message


def test_kwb_bad_year_in_the_year_column(tmp_path):
    path = write_csv(
        tmp_path / "kwb_pdok.csv",
        ["gemeentecode", "gemeentenaam", "aantal_inwoners", "jaar"],
        [["GM0308", "Baarn", "25065", "2024"], ["GM0363", "Amsterdam", "1", "twintig"]],
    )

    parsed = parse(path)

    assert parsed.layout == "pdok-snake"
    assert where(parsed.errors) == [("kwb_pdok.csv", 2, "jaar")]


def test_a_file_no_kind_recognises_is_refused(tmp_path):
    path = write_csv(tmp_path / "iets.csv", ["a", "b"], [["1", "2"]])

    with pytest.raises(Exception) as info:
        kinds.detect_kind(read_table(path))

    assert where(info.value.errors) == [("iets.csv", None, "")]
    assert "choose the kind" in info.value.errors[0].message


# ------------------------------------------------------------------ politie_misdrijven


def test_crime_file_parses_to_one_cell_per_row():
    parsed = parse(real(BAARN_CRIME))

    assert (parsed.kind, parsed.dataset, parsed.rows_read) == ("politie_misdrijven", "politie_misdrijven", 110)
    assert parsed.errors == []
    assert parsed.years == [2021, 2022, 2023, 2024, 2025]
    assert parsed.vintage == 2024
    assert set(parsed.frame["variable"]) == {"geregistreerde_misdrijven"}
    assert set(parsed.frame["level"]) == {"gemeente", "buurt"}
    assert cell(parsed, "GM0308", "geregistreerde_misdrijven", 2021)["value"] == 862
    assert list(parsed.frame["row"][:3]) == [1, 2, 3]


@pytest.mark.parametrize(
    "rows, expected, message",
    [
        ([("GM0308", "wijk", 2024, 5)], [(1, "regiocode")], "does not fit level 'wijk'"),
        ([("WK030800", "buurt", 2024, 5)], [(1, "regiocode")], "does not fit level 'buurt'"),
        ([("GM0308", "gemeente", 2024, 5), (UNKNOWN_BUURT, "buurt", 2024, 1)], [(2, "regiocode")], "unknown area code"),
        (
            [("GM0308", "gemeente", 2024, 5), ("GM0308", "gemeente", 2024, 6)],
            [(2, "regiocode")],
            "appears twice for 2024",
        ),
        ([("GM0308", "gemeente", 2024, -1)], [(1, "geregistreerde_misdrijven_totaal")], "cannot be negative"),
        ([("GM0308", "gemeente", 2024, "veel")], [(1, "geregistreerde_misdrijven_totaal")], "in a number field"),
        ([("GM0308", "gemeente", 2024, "2.5")], [(1, "geregistreerde_misdrijven_totaal")], "whole number"),
        ([("GM0308", "gemeente", "ooit", 5)], [(1, "jaar")], "is not a year"),
    ],
    ids=["gemeente-as-wijk", "wijk-as-buurt", "unknown", "duplicate-area-year", "negative", "text", "fraction", "year"],
)
def test_crime_bad_cells_are_named(tmp_path, rows, expected, message):
    parsed = parse(write_crime(tmp_path / "misdrijven.csv", rows), "politie_misdrijven")

    assert where(parsed.errors) == [("misdrijven.csv", row, column) for row, column in expected]
    assert message in parsed.errors[0].message


def test_the_same_area_in_two_years_is_no_duplicate(tmp_path):
    parsed = parse(write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2023, 5), ("GM0308", "gemeente", 2024, 6)]))

    assert parsed.errors == []


def test_crime_missing_column(tmp_path):
    header = ["regiocode", "jaar", "geregistreerde_misdrijven_totaal"]
    path = write_csv(tmp_path / "m.csv", header, [["GM0308", "2024", "5"]])

    parsed = parse(path, "politie_misdrijven")

    assert where(parsed.errors) == [("m.csv", None, "niveau")]
    assert parsed.errors[0].message == "column missing"


def test_crime_extra_column(tmp_path):
    path = write_csv(tmp_path / "m.csv", CRIME_HEADER + ["opmerking"], [["GM0308", "gemeente", "2024", "5", "x"]])

    parsed = parse(path, "politie_misdrijven")

    assert where(parsed.errors) == [("m.csv", None, "opmerking")]
    assert parsed.errors[0].message == "unexpected column"


def test_every_error_of_a_file_is_reported_not_just_the_first(tmp_path):
    rows = [("GM0308", "gemeente", 2024, -1), ("WK030800", "buurt", 2024, 1), ("GM0308", "gemeente", 2024, "x")]

    parsed = parse(write_crime(tmp_path / "m.csv", rows), "politie_misdrijven")

    assert sorted(where(parsed.errors)) == sorted(
        [
            ("m.csv", 1, "geregistreerde_misdrijven_totaal"),
            ("m.csv", 2, "regiocode"),
            ("m.csv", 3, "regiocode"),  # GM0308 again in 2024
            ("m.csv", 3, "geregistreerde_misdrijven_totaal"),
        ]
    )


def test_kwb_pdok_a_wijk_code_in_the_buurtcode_column(tmp_path):
    path = write_csv(
        tmp_path / "kwb_2024_buurten.csv",
        ["buurtcode", "buurtnaam", "gemeentecode", "aantal_inwoners"],
        [["BU03080000", "Centrum", "GM0308", "1825"], ["WK030800", "Baarn", "GM0308", "11955"]],
    )

    parsed = parse(path)

    assert parsed.layout == "pdok-snake"
    assert where(parsed.errors) == [("kwb_2024_buurten.csv", 2, "buurtcode")]
    assert "does not fit level 'buurt'" in parsed.errors[0].message
