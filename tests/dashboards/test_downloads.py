"""Downloads open right in Dutch Excel and LibreOffice (issue 14, item 10): CSV with ';' between
fields and a decimal comma, said in the line above the table; XLSX with numbers as numbers."""

import csv
import io
import re

import pytest
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from apps.dashboards import downloads
from apps.dashboards.tables import Column, PageTable, Value

INDICATOR = "aankopen_zonder_hypotheek"
# A number as Dutch Excel reads it: digits, at most one decimal comma, no '.' (with '.' as the
# thousands separator Dutch Excel reads 3.1097 as 31097), no exponent.
DUTCH_NUMBER = re.compile(r"-?\d+(,\d+)?")


def parse(response) -> tuple[list[list[str]], list[list[str]]]:
    """(explanation lines, table rows incl. header) of a downloaded CSV."""
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 accents only with the byte order mark
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    explanation = [row for row in rows if row[0].startswith("# ")]
    return explanation, rows[len(explanation):]


def table() -> PageTable:
    numeric = [Column(label, numeric=True) for label in ("Waarde", "Aantal", "Verschil")]
    columns = [Column("Gebied"), *numeric]
    rows = [
        ["Súdwest-Fryslân", 3.1097, 1234567, -3.1],
        ["=SOM(A1)", 0.00001, 2024, -1],
        ["-geen formule", 2.0, None, 1234567.25],
    ]
    rows = [[Value.plain(raw) for raw in row] for row in rows]
    return PageTable("Proef", columns, rows, about=[("Tabel", "Proef"), ("Bron", "+31 CBS")])


def test_numbers_are_written_with_a_decimal_comma_and_no_thousands_separator():
    _about, rows = parse(downloads.csv_response(table(), filename="proef"))
    header, body = rows[0], rows[1:]
    assert header == ["Gebied", "Waarde", "Aantal", "Verschil"]
    assert [row[1:] for row in body] == [
        ["3,1097", "1234567", "-3,1"],
        ["0,00001", "2024", "-1"],
        ["2", "", "1234567,25"],
    ]


def test_formulas_in_text_are_escaped_but_negative_numbers_stay_numbers():
    about, rows = parse(downloads.csv_response(table(), filename="proef"))
    assert [row[0] for row in rows[1:]] == ["Súdwest-Fryslân", "'=SOM(A1)", "'-geen formule"]
    assert rows[1][3] == "-3,1" and rows[2][3] == "-1"  # not "'-3,1": Excel would read text
    assert ["# Bron", "'+31 CBS"] in about


@pytest.mark.parametrize(
    ("language", "label", "words"),
    [("nl", "# Bestandsindeling", ("puntkomma", "decimaalteken: komma")),
     ("en", "# File format", ("semicolon", "decimal mark: comma"))],
)
def test_the_explanation_says_the_convention_in_the_page_language(language, label, words):
    with override(language):
        about, _rows = parse(downloads.csv_response(table(), filename="proef"))
    assert about[-1][0] == label  # right above the table's header
    assert all(word in about[-1][1] for word in words), about[-1]


def test_a_page_csv_opens_in_dutch_excel(client, published):
    """Every numeric column of a real page's table: decimal comma, no thousands separator."""
    response = client.get(f"/indicator/{INDICATOR}/GM0308/?niveau=buurt&formaat=csv")
    about, rows = parse(response)
    assert about[-1][0] == "# Bestandsindeling" and "decimaalteken: komma" in about[-1][1]
    header, body = rows[0], rows[1:]
    assert body and all(len(row) == len(header) for row in body)
    numeric = 0
    for index, label in enumerate(header):
        values = [row[index] for row in body if row[index]]
        # A numeric column: only digits, signs and marks (codes hold letters, names words).
        if values and all(re.fullmatch(r"-?[\d.,]+", value) for value in values):
            assert all(DUTCH_NUMBER.fullmatch(value) for value in values), (label, values)
            numeric += 1
    assert numeric >= 2  # the year and the value at least
    with override("nl"):
        value_column = header.index(gettext("Value"))
    assert any("," in row[value_column] for row in body)  # rates have decimals


def test_xlsx_keeps_numbers_as_numbers(client, published):
    response = client.get(f"/indicator/{INDICATOR}/GM0308/?niveau=buurt&formaat=xlsx")
    data = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in data[1]]
    with override("nl"):
        value_column = header.index(gettext("Value"))
    cells = [row[value_column] for row in data.iter_rows(min_row=2)]
    cells = [cell for cell in cells if cell.value is not None]
    assert cells
    assert all(cell.data_type == "n" and isinstance(cell.value, (int, float)) for cell in cells)
    assert any(isinstance(cell.value, float) and not cell.value.is_integer() for cell in cells)


def test_xlsx_of_a_table_writes_numbers_and_escapes_only_text():
    response = downloads.xlsx_response(
        table(), filename="proef", sheet_titles=("Gegevens", "Toelichting")
    )
    data = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[cell.value for cell in row] for row in data.iter_rows(min_row=2)]
    assert rows[0] == ["Súdwest-Fryslân", 3.1097, 1234567, -3.1]
    assert rows[1][0] == "'=SOM(A1)" and rows[1][3] == -1
    numbers = [cell for row in data.iter_rows(min_row=2) for cell in row[1:] if cell.value is not None]
    assert all(cell.data_type == "n" for cell in numbers)
