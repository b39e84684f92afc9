"""read_table: every upload becomes a frame of strings, or a refusal that names the place."""

import datetime
from pathlib import Path

import openpyxl
import pytest

from apps.sources.tabular import read_table
from tests.sources.helpers import parse, rejection, where, write_csv

HEADER = ["regiocode", "niveau", "naam", "AantalInwoners_5", "GemiddeldeHuishoudensgrootte_33"]
ROWS = [
    ["GM0308", "gemeente", "Baarn", "25065", "2.1"],
    ["BU03080000", "buurt", "Baarn-Centrum", "1825", "1.7"],
    ["BU03080501", "buurt", "Verspreide huizen", "", "2.1"],
]


def test_comma_csv_reads_every_cell_as_text(tmp_path):
    path = write_csv(tmp_path / "kwb_2024.csv", HEADER, ROWS + [["GM0363", "gemeente", "A", "0363", ""]])

    table = read_table(path)

    assert (table.format, table.delimiter, table.encoding) == ("CSV", ",", "utf-8-sig")
    assert table.columns == HEADER
    assert table.frame.to_numpy().tolist() == ROWS + [["GM0363", "gemeente", "A", "0363", ""]]
    assert (table.frame.dtypes == object).all()  # "0363" keeps its zero: never parsed here


def test_semicolon_csv_gives_the_same_table(tmp_path):
    comma = read_table(write_csv(tmp_path / "a_2024.csv", HEADER, ROWS))
    semicolon = read_table(write_csv(tmp_path / "b_2024.csv", HEADER, ROWS, delimiter=";"))

    assert semicolon.delimiter == ";"
    assert semicolon.frame.equals(comma.frame)


def test_decimal_comma_in_a_semicolon_file_parses_as_a_number(geo, tmp_path):
    rows = [[code, level, name, inwoners, size.replace(".", ",")] for code, level, name, inwoners, size in ROWS]
    path = write_csv(tmp_path / "kwb_2024_baarn.csv", HEADER, rows, delimiter=";")

    parsed = parse(path, "cbs_kwb")

    assert parsed.errors == []
    cells = parsed.frame.set_index(["area_code", "variable"])
    assert cells.loc[("BU03080000", "GemiddeldeHuishoudensgrootte_33"), "value"] == pytest.approx(1.7)
    assert cells.loc[("GM0308", "inwoners"), "value"] == 25065


def test_a_decimal_comma_in_a_comma_file_is_a_text_error(geo, tmp_path):
    path = write_csv(tmp_path / "kwb_2024_baarn.csv", HEADER, [["GM0308", "gemeente", "Baarn", "25065", "2,1"]])

    parsed = parse(path, "cbs_kwb")

    assert where(parsed.errors) == [("kwb_2024_baarn.csv", 1, "GemiddeldeHuishoudensgrootte_33")]


def test_utf8_with_bom(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffregiocode,naam\nGM0308,Café Baarn\n".encode("utf-8"))

    table = read_table(path)

    assert table.columns == ["regiocode", "naam"]  # no BOM glued to the first column name
    assert table.frame.at[0, "naam"] == "Café Baarn"


def test_cp1252(tmp_path):
    path = tmp_path / "cp1252.csv"
    path.write_bytes("regiocode;naam\nGM0308;Café – Baarn\n".encode("cp1252"))

    table = read_table(path)

    assert table.encoding == "cp1252"
    assert table.frame.at[0, "naam"] == "Café – Baarn"


def test_undecodable_bytes_are_refused_naming_the_row(tmp_path):
    path = tmp_path / "broken.csv"
    # 0x81 is neither valid UTF-8 here nor defined in cp1252.
    path.write_bytes(b"regiocode,naam\nGM0308,Baarn\nGM0363,Amsterdam \x81\n")

    errors = rejection(path)

    assert where(errors) == [("broken.csv", 2, "")]
    assert "neither UTF-8 nor cp1252" in errors[0].message


def _write_xlsx(path: Path, header: list, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_gives_the_same_parse_as_the_csv(tmp_path):
    typed = [
        [code, level, name, int(inwoners) if inwoners else None, float(size)]
        for code, level, name, inwoners, size in ROWS
    ]
    xlsx = read_table(_write_xlsx(tmp_path / "kwb_2024.xlsx", HEADER, typed))
    csv_table = read_table(write_csv(tmp_path / "kwb_2024.csv", HEADER, ROWS))

    assert xlsx.format == "XLSX"
    assert xlsx.columns == csv_table.columns
    assert xlsx.frame.to_numpy().tolist() == csv_table.frame.to_numpy().tolist()


def test_xlsx_extract_gives_the_same_records_as_the_csv(geo, tmp_path):
    header = ["registratie_id", "buurtcode", "datum", "soort", "synthetisch"]
    csv_rows = [["G1", "BU03080000", "2024-02-02", "hennepkwekerij", "nee"]]
    # Excel turns a typed date into a date cell.
    xlsx_rows = [["G1", "BU03080000", datetime.date(2024, 2, 2), "hennepkwekerij", "nee"]]

    from_csv = parse(write_csv(tmp_path / "r.csv", header, csv_rows))
    from_xlsx = parse(_write_xlsx(tmp_path / "r.xlsx", header, xlsx_rows))

    assert from_xlsx.errors == []
    assert from_xlsx.frame.drop(columns="flags").equals(from_csv.frame.drop(columns="flags"))


def test_a_damaged_xlsx_is_refused(tmp_path):
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")

    errors = rejection(path)

    assert where(errors) == [("kapot.xlsx", None, "")]
    assert "XLSX" in errors[0].message


def test_xlsx_with_a_repeated_column_name_is_refused(tmp_path):
    path = _write_xlsx(tmp_path / "dubbel.xlsx", ["regiocode", "niveau", "niveau"], [["GM0308", "gemeente", "x"]])

    assert where(rejection(path)) == [("dubbel.xlsx", None, "niveau")]


def test_empty_file(tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")

    errors = rejection(path)

    assert where(errors) == [("leeg.csv", None, "")]
    assert "empty" in errors[0].message


def test_blank_lines_only_have_no_header(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\n\n\n")

    assert "no header" in rejection(path)[0].message


def test_header_only_is_a_table_without_rows(tmp_path):
    path = write_csv(tmp_path / "kop.csv", HEADER, [])

    table = read_table(path)

    assert table.columns == HEADER
    assert len(table.frame) == 0


def test_binary_garbage(tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(bytes(range(256)) * 40)

    errors = rejection(path)

    assert where(errors) == [("foto.csv", None, "")]
    assert "binary" in errors[0].message


@pytest.mark.parametrize(
    "text, row, message",
    [
        ("a,b,c\n1,2,3\n4,5,6,7\n", 2, "4 fields where the header has 3"),
        ("a,b,c\n1,2,3\n4,5,6\n7,8\n", 3, "2 fields where the header has 3"),
        # A blank line is skipped, as pandas skips it: the row number stays the frame's.
        ("a,b,c\n1,2,3\n\n4,5\n", 2, "2 fields where the header has 3"),
    ],
    ids=["too-many", "too-few", "after-a-blank-line"],
)
def test_a_ragged_row_is_named(tmp_path, text, row, message):
    path = tmp_path / "ragged.csv"
    path.write_text(text)

    errors = rejection(path)

    assert where(errors) == [("ragged.csv", row, "")]
    assert errors[0].message == message


def test_a_quoted_newline_is_not_a_ragged_row(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('regiocode,naam\nGM0308,"Baarn\nCentrum"\nGM0363,Amsterdam\n')

    table = read_table(path)

    assert table.frame["naam"].tolist() == ["Baarn\nCentrum", "Amsterdam"]


def test_duplicate_column_names_are_refused(tmp_path):
    path = tmp_path / "dubbel.csv"
    path.write_text("regiocode,niveau,jaar,niveau\nGM0308,gemeente,2024,x\n")

    errors = rejection(path)

    assert where(errors) == [("dubbel.csv", None, "niveau")]
    assert errors[0].message == "column name appears twice"


def test_a_column_without_a_name_is_refused(tmp_path):
    path = tmp_path / "naamloos.csv"
    path.write_text("regiocode,,jaar\nGM0308,x,2024\n")

    assert [e.message for e in rejection(path)] == ["a column without a name in the header"]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, settings, monkeypatch):
    settings.SOURCE_MAX_UPLOAD_BYTES = 1000
    path = write_csv(tmp_path / "groot.csv", HEADER, ROWS * 20)
    assert path.stat().st_size > 1000

    def must_not_read(self, *args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    monkeypatch.setattr(Path, "open", must_not_read)

    errors = rejection(path, max_bytes=settings.SOURCE_MAX_UPLOAD_BYTES)

    assert where(errors) == [("groot.csv", None, "")]
    assert "the limit is 1,000" in errors[0].message
