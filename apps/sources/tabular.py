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
        frame = pd.read_excel(io.BytesIO(raw), sheet_name=0, dtype=str, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileRejected([RowError(name, None, "", f"cannot read this XLSX file ({exc})")]) from None
    frame = frame.fillna("")
    frame.columns = [str(column).strip() for column in frame.columns]
    return Table(name, _clean(frame), "XLSX")


def _decode(name: str, raw: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise FileRejected([RowError(name, None, "", "the file is neither UTF-8 nor cp1252 text")])


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
    frame.columns = [str(column).strip() for column in frame.columns]
    duplicates = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    unnamed = [c for c in frame.columns if c.startswith("Unnamed:")]
    if duplicates or unnamed:
        problems = [RowError(name, None, c, "column name appears twice") for c in duplicates]
        problems += [RowError(name, None, "", "a column without a name in the header") for _ in unnamed[:1]]
        raise FileRejected(problems)
    return Table(name, _clean(frame), "CSV", encoding, delimiter)


def _parser_error(name: str, text: str, delimiter: str, exc: Exception) -> RowError:
    """Name the first row whose number of fields differs from the header's."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    width = None
    for line_number, fields in enumerate(reader):
        if width is None:
            width = len(fields)
        elif fields and len(fields) != width:
            return RowError(name, line_number, "", f"{len(fields)} fields where the header has {width}")
    return RowError(name, None, "", f"cannot read this CSV file ({exc})")


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(str)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    return frame
