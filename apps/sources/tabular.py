"""Read a tabular upload (CSV with , or ;, UTF-8 or cp1252, or XLSX) into a frame of strings.

Everything is read as text: each kind decides what a cell means, so "-99997" stays a code and
"0363" keeps its zero.
"""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from apps.core.problems import FileRejected, RowError

XLSX_MAGIC = b"PK\x03\x04"
ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass
class Table:
    name: str
    frame: pd.DataFrame  # all str, '' for empty
    format: str  # "CSV" or "XLSX"
    encoding: str = ""
    delimiter: str = ""

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def read_table(path: Path, *, name: str | None = None, max_bytes: int | None = None) -> Table:
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise FileRejected([RowError(name, None, "", "the file is empty")])
    if max_bytes and size > max_bytes:
        raise FileRejected(
            [RowError(name, None, "", f"the file is {size:,} bytes; the limit is {max_bytes:,}")]
        )
    raw = path.read_bytes()
    if raw.startswith(XLSX_MAGIC):
        return _read_xlsx(name, raw)
    return _read_csv(name, raw)


def _read_xlsx(name: str, raw: bytes) -> Table:
    try:
        # header=None: pandas would rename a repeated column name ("a", "a.1"); check it ourselves.
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, dtype=str, engine="openpyxl", header=None)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRejected([RowError(name, None, "", f"cannot read this XLSX file ({exc})")]) from None
    if frame.empty:
        raise FileRejected([RowError(name, None, "", "the file holds no header row")])
    frame = _clean(frame.fillna(""))
    # A formatted but empty column of the sheet has no name and no cells: not a column.
    frame = frame.loc[:, (frame != "").any()]
    names = list(frame.iloc[0])
    _check_header(name, names)
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = names
    # A date typed into Excel is a date cell, which pandas writes as "2024-03-01 00:00:00".
    frame = frame.replace(to_replace=r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", value=r"\1", regex=True)
    return Table(name, frame, "XLSX")


def _check_header(name: str, names: list[str]) -> None:
    duplicates = sorted({c for c in names if c and names.count(c) > 1})
    problems = [RowError(name, None, c, "column name appears twice") for c in duplicates]
    if "" in names:
        problems.append(RowError(name, None, "", "a column without a name in the header"))
    if problems:
        raise FileRejected(problems)


def _decode(name: str, raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            error = exc
            continue
    # Name the row of the first byte that not even cp1252 can read (0 = the header line).
    line = raw[: error.start].count(b"\n")
    byte = raw[error.start : error.start + 1].hex()
    raise FileRejected(
        [RowError(name, line or None, "", f"the file is neither UTF-8 nor cp1252 text (byte 0x{byte})")]
    )


def _read_csv(name: str, raw: bytes) -> Table:
    if b"\x00" in raw[:4096]:
        raise FileRejected([RowError(name, None, "", "a binary file, not CSV or XLSX")])
    text, encoding = _decode(name, raw)
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise FileRejected([RowError(name, None, "", "the file holds no header row")]) from None
    except pd.errors.ParserError as exc:
        raise FileRejected([_parser_error(name, text, delimiter, exc)]) from None
    # pandas renames a repeated column name ("a", "a.1") and fills a short row with empty
    # cells; both must be refused, so check the header and the width of every row ourselves.
    names = [field.strip() for field in next(csv.reader(io.StringIO(text), delimiter=delimiter), [])]
    _check_header(name, names)
    ragged = _ragged_row(name, text, delimiter)
    if ragged:
        raise FileRejected([ragged])
    frame.columns = [str(column).strip() for column in frame.columns]
    return Table(name, _clean(frame), "CSV", encoding, delimiter)


def _ragged_row(name: str, text: str, delimiter: str) -> RowError | None:
    """The first data row whose number of fields differs from the header's (blank lines skipped,
    as pandas skips them, so the number is the frame's row number)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = len(next(reader, []))
    row = 0
    for fields in reader:
        if not fields:
            continue
        row += 1
        if len(fields) != width:
            return RowError(name, row, "", f"{len(fields)} fields where the header has {width}")
    return None


def _parser_error(name: str, text: str, delimiter: str, exc: Exception) -> RowError:
    """Name the first row whose number of fields differs from the header's."""
    return _ragged_row(name, text, delimiter) or RowError(name, None, "", f"cannot read this CSV file ({exc})")


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(str)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame
