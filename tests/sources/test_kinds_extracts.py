"""The five record-level extracts of docs/extracts.md: valid files and every kind of bad cell."""

import math

import pytest

from apps.sources.kinds import RECORD_COLUMNS
from tests.sources.helpers import (
    BUURT,
    BUURT_2,
    EXTRACTS,
    UNKNOWN_BUURT,
    WIJK,
    extract_rows,
    parse,
    rejection,
    where,
    write_csv,
    write_extract,
)

pytestmark = pytest.mark.usefixtures("geo")

EXPECTED = {
    "kadaster_transacties": {
        "record_id": "T2", "object_id": "O2", "subject_id": "K2", "amount": 412500.5, "category": None,
        "sbi_code": None, "date": "2024-05-12", "end_date": None,
        "flags": {"koper_rechtspersoon": True, "hypotheek": False, "onverklaarbaar": True},
    },
    "kvk_vestigingen": {
        "record_id": "V2", "object_id": None, "subject_id": "C1", "amount": None, "category": None,
        "sbi_code": "56101", "date": "2024-02-01", "end_date": "2024-10-01",
        "flags": {"woonadres": True, "bestuurder_veroordeeld": True},
    },
    "fiu_meldingen": {
        "record_id": "M2", "object_id": None, "subject_id": None, "amount": 12000.75, "category": "geldtransfer",
        "sbi_code": "4711", "date": "2024-06-30", "end_date": None, "flags": {},
    },
    "om_veroordelingen": {
        "record_id": "R2", "object_id": None, "subject_id": "P2", "amount": None, "category": "witwassen",
        "sbi_code": None, "date": "2024-11-11", "end_date": None, "flags": {"geboortejaar": 1980.0},
    },
    "gemeentelijke_registraties": {
        "record_id": "G2", "object_id": None, "subject_id": None, "amount": None, "category": "sluiting_13b",
        "sbi_code": None, "date": "2024-03-03", "end_date": None, "flags": {},
    },
}


def _same(actual, expected) -> bool:
    if expected is None:
        return actual is None or (isinstance(actual, float) and math.isnan(actual))
    return actual == expected


@pytest.mark.parametrize("kind", list(EXTRACTS))
def test_a_valid_extract_gives_the_generic_record_columns(tmp_path, kind):
    parsed = parse(write_extract(tmp_path, kind))  # detected from its id column

    assert parsed.kind == kind and parsed.shape == "records"
    assert parsed.errors == []
    assert (parsed.rows_read, parsed.years, parsed.vintage, parsed.synthetic) == (2, [2024], 2024, False)
    assert list(parsed.frame.columns) == RECORD_COLUMNS
    second = parsed.frame.iloc[1].to_dict()
    assert (second["row"], second["buurt_code"], second["year"], second["synthetic"]) == (2, BUURT_2, 2024, False)
    for field, expected in EXPECTED[kind].items():
        assert _same(second[field], expected), (field, second[field], expected)


@pytest.mark.parametrize("kind", list(EXTRACTS))
def test_synthetic_flag(tmp_path, kind):
    header, rows = extract_rows(kind)
    rows[0][header.index("synthetisch")] = "ja"

    parsed = parse(write_csv(tmp_path / "x.csv", header, rows), kind)

    assert parsed.errors == []
    assert parsed.synthetic is True
    assert parsed.frame["synthetic"].tolist() == [True, False]


def test_flags_are_case_insensitive(tmp_path):
    changes = {(1, "hypotheek"): "NEE", (1, "koper_rechtspersoon"): "Ja"}
    path = write_extract(tmp_path, "kadaster_transacties", changes=changes)

    parsed = parse(path)

    assert parsed.errors == []
    assert parsed.frame.iloc[0]["flags"] == {"koper_rechtspersoon": True, "hypotheek": False, "onverklaarbaar": False}


def test_codes_and_choices_are_normalised(tmp_path):
    path = write_extract(tmp_path, "fiu_meldingen", changes={(1, "buurtcode"): BUURT.lower(), (1, "soort"): "Contant"})

    parsed = parse(path)

    assert parsed.errors == []
    assert (parsed.frame.iloc[0]["buurt_code"], parsed.frame.iloc[0]["category"]) == (BUURT, "contant")


def test_years_of_an_extract_are_those_of_its_dates(tmp_path):
    path = write_extract(tmp_path, "gemeentelijke_registraties", changes={(1, "datum"): "2023-12-31"})

    parsed = parse(path)

    assert parsed.years == [2023, 2024]
    assert parsed.frame["year"].tolist() == [2023, 2024]


# ------------------------------------------------------------------ refused, with the exact place

BAD_CELLS = [
    # (kind, row, column, bad value, words of the message)
    ("kadaster_transacties", 2, "buurtcode", UNKNOWN_BUURT, f"unknown area code {UNKNOWN_BUURT}"),
    ("kadaster_transacties", 1, "buurtcode", WIJK, "does not fit level 'buurt'"),
    ("kadaster_transacties", 2, "transactie_id", "T1", "T1 appears twice"),
    ("kadaster_transacties", 2, "koopsom", "-1", "cannot be negative"),
    ("kadaster_transacties", 1, "koopsom", "duur", "text 'duur' in a number field"),
    ("kadaster_transacties", 1, "koopsom", "Infinity", "in a number field"),
    ("kadaster_transacties", 2, "datum", "2024-02-30", "'2024-02-30' is not a date (YYYY-MM-DD)"),
    ("kadaster_transacties", 1, "datum", "01-03-2024", "is not a date"),
    ("kadaster_transacties", 1, "hypotheek", "misschien", "expected ja or nee"),
    ("kadaster_transacties", 2, "koper_id", "", "value missing"),
    ("kvk_vestigingen", 1, "sbi_code", "47A1", "an SBI code has 2 to 5 digits"),
    ("kvk_vestigingen", 2, "sbi_code", "1", "an SBI code has 2 to 5 digits"),
    ("kvk_vestigingen", 2, "sbi_code", "471100", "an SBI code has 2 to 5 digits"),
    ("kvk_vestigingen", 2, "datum_uitschrijving", "morgen", "is not a date"),
    ("kvk_vestigingen", 2, "vestiging_id", "V1", "appears twice"),
    ("kvk_vestigingen", 1, "woonadres", "1", "expected ja or nee"),
    ("fiu_meldingen", 2, "soort", "cash", "expected one of: contant, geldtransfer, giraal, overig"),
    ("fiu_meldingen", 1, "bedrag", "-0.5", "cannot be negative"),
    ("fiu_meldingen", 1, "sbi_code", "4", "an SBI code has 2 to 5 digits"),
    ("fiu_meldingen", 1, "synthetisch", "soms", "expected ja or nee"),
    ("om_veroordelingen", 1, "delict", "diefstal", "expected one of: opiumwet, witwassen, overig"),
    ("om_veroordelingen", 2, "geboortejaar", "negentien", "in a number field"),
    ("om_veroordelingen", 2, "geboortejaar", "-1980", "cannot be negative"),
    ("om_veroordelingen", 1, "buurtcode", "GM0308", "does not fit level 'buurt'"),
    ("gemeentelijke_registraties", 1, "soort", "wietplantage", "expected one of"),
    ("gemeentelijke_registraties", 2, "datum", "", "value missing"),
    ("gemeentelijke_registraties", 2, "registratie_id", "G1", "appears twice"),
]


@pytest.mark.parametrize(
    "kind, row, column, value, message", BAD_CELLS, ids=[f"{k}-{c}-{v or 'empty'}" for k, _, c, v, _ in BAD_CELLS]
)
def test_a_bad_cell_is_named_by_file_row_and_column(tmp_path, kind, row, column, value, message):
    path = write_extract(tmp_path, kind, name="extract.csv", changes={(row, column): value})

    parsed = parse(path, kind)

    assert where(parsed.errors) == [("extract.csv", row, column)]
    assert message in parsed.errors[0].message


def test_optional_cells_may_be_empty(tmp_path):
    path = write_extract(tmp_path, "fiu_meldingen", changes={(2, "sbi_code"): ""})

    parsed = parse(path)

    assert parsed.errors == []
    assert parsed.frame["sbi_code"].tolist() == ["", ""]


@pytest.mark.parametrize("kind", list(EXTRACTS))
def test_missing_column(tmp_path, kind):
    header, rows = extract_rows(kind)
    position = header.index("buurtcode")
    del header[position]
    for row in rows:
        del row[position]

    parsed = parse(write_csv(tmp_path / "x.csv", header, rows), kind)

    assert where(parsed.errors) == [("x.csv", None, "buurtcode")]
    assert parsed.errors[0].message == "column missing"
    assert parsed.frame is None


@pytest.mark.parametrize("kind", list(EXTRACTS))
def test_extra_column(tmp_path, kind):
    header, rows = extract_rows(kind)

    parsed = parse(write_csv(tmp_path / "x.csv", header + ["naam"], [row + ["Jansen"] for row in rows]), kind)

    assert where(parsed.errors) == [("x.csv", None, "naam")]
    assert parsed.errors[0].message == "unexpected column"


def test_wrong_encoding_is_refused_before_parsing(tmp_path):
    header, rows = extract_rows("gemeentelijke_registraties")
    path = tmp_path / "registraties.csv"
    text = "\n".join(",".join(row) for row in [header] + rows) + "\n"
    path.write_bytes(text.encode("ascii").replace(b"G2,", b"G\x9d2,"))

    errors = rejection(path)

    assert where(errors) == [("registraties.csv", 2, "")]


def test_many_errors_in_one_column_are_all_reported(tmp_path):
    header, rows = extract_rows("gemeentelijke_registraties")
    rows = [[f"G{i}", BUURT, "2024-13-01", "drugsafval", "nee"] for i in range(1, 121)]

    parsed = parse(write_csv(tmp_path / "veel.csv", header, rows))

    assert len(parsed.errors) == 120
    assert [e.row for e in parsed.errors] == list(range(1, 121))
    assert {e.field for e in parsed.errors} == {"datum"}


@pytest.mark.parametrize("value", ["1880", "2150", "1980.5"])
def test_an_implausible_year_of_birth_is_refused(value, tmp_path):
    from apps.sources.kinds import get_kind
    from apps.sources.tabular import read_table

    path = tmp_path / "om.csv"
    path.write_text(
        "veroordeling_id,persoon_id,buurtcode,datum,delict,geboortejaar,synthetisch\n"
        f"V1,P1,BU03080000,2024-05-01,opiumwet,{value},ja\n"
    )

    parsed = get_kind("om_veroordelingen").parse(read_table(path))

    assert [(e.row, e.field, e.message) for e in parsed.errors] == [
        (1, "geboortejaar", "not a year between 1900 and 2100")
    ]
