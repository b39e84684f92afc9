"""CSV and XLSX of a page's table, with what a reader needs to use it: definition, source,
licence, release and the meaning of the status codes."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import PageTable

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def csv_response(table: PageTable, *, filename: str) -> HttpResponse:
    """UTF-8 with a byte order mark (Excel opens it right), ';'-separated as Dutch Excel
    expects; the explanation first as '#' lines, then the table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for label, text in table.about:
        writer.writerow([f"# {label}", _safe(text)])
    header, rows = _header_and_rows(table)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
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
