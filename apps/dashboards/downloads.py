"""CSV and XLSX of a page's table, with what a reader needs to use it: definition, source,
licence, release and the meaning of the status codes."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import PageTable

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The CSV is for spreadsheets, read by people at Dutch gemeenten: Excel and LibreOffice with
# Dutch regional settings open a file by double-click with ';' between fields and ',' as the
# decimal mark (with '.' decimals, Dutch Excel reads 3.1097 as 31097). One convention whatever
# the page's language, so a file does not change with who downloads it; its last '#' line says it.
# No "sep=;" line: it makes Excel ignore the byte order mark, and with it the UTF-8 accents.
# The API's CSV is for programs and stays ',' and '.' (README, "Open data API").
SEPARATOR = ";"
DECIMAL_MARK = ","


def _safe(raw):
    """Text that a spreadsheet would run as a formula is written as text (CSV injection):
    area names come from source files."""
    if isinstance(raw, str) and raw[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + raw
    return raw


def _header_and_rows(table: PageTable):
    wanted = table.download_columns()
    header = [table.columns[i].label for i in wanted]
    rows = [[_safe(row[i].raw) for i in wanted] for row in table.rows]
    return header, rows


def _csv_value(value):
    """A cell as Dutch spreadsheets read it: None empty; a fraction with a decimal comma, no
    thousands separator and no exponent (3.1097 → "3,1097", 1e-05 → "0,00001", 2.0 → "2");
    text and whole numbers as they are."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest text that reads back as the same float
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", DECIMAL_MARK)
    return value


def csv_response(table: PageTable, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte order mark (Excel reads the accents right), ';' between fields and a
    decimal comma as Dutch Excel expects; the explanation first as '#' lines, then the table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATOR, lineterminator="\r\n")
    for label, text in table.about:
        writer.writerow([f"# {label}", _safe(text)])
    # Last above the table: how to read what follows.
    writer.writerow([
        f"# {_('File format')}",
        _("Separator: semicolon; decimal mark: comma; no thousands separator; character set UTF-8."),
    ])
    header, rows = _header_and_rows(table)
    writer.writerow(header)
    for row in rows:
        # After _safe: a negative number is a number, written "-3,1", not text.
        writer.writerow([_csv_value(value) for value in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: PageTable, *, filename: str, sheet_titles: tuple[str, str]) -> HttpResponse:
    """Two sheets: the data (one header row, so it filters and pivots), and the explanation."""
    workbook = Workbook()
    data = workbook.active
    data.title = sheet_titles[0][:31]
    header, rows = _header_and_rows(table)
    data.append(header)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in rows:
        data.append(row)
    data.freeze_panes = "A2"
    about = workbook.create_sheet(sheet_titles[1][:31])
    for label, text in table.about:
        about.append([label, _safe(text)])
    for cell in about["A"]:
        cell.font = Font(bold=True)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
