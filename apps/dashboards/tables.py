"""The tables a page shows, in one shape for the HTML, the CSV and the XLSX.

A page builds its PageTable once; the template prints each value's text, a download writes each
value's raw form. So a download holds exactly what the page shows: the same rows, the same
published values and status codes, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Value:
    raw: str | int | float | None  # what a download writes (numbers stay numbers, None empty)
    text: str = ""  # what the page prints
    href: str = ""  # a link on the page
    emphasis: bool = False
    # The status code of a cell without a value (A, B, T, D, S, N), shown beside the words for
    # why, as a symbol the table's legend explains (as CBS StatLine does).
    symbol: str = ""

    @classmethod
    def plain(cls, raw, href: str = "") -> Value:
        return cls(raw, "" if raw is None else str(raw), href)


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False
    # Only in the download (e.g. the status code beside a value the page shows in words).
    download_only: bool = False
    page_only: bool = False


@dataclass
class PageTable:
    caption: str
    columns: list[Column]
    rows: list[list[Value]] = field(default_factory=list)
    # Where the numbers come from and how to read them: written above the data in a download.
    about: list[tuple[str, str]] = field(default_factory=list)

    def page_columns(self) -> list[tuple[int, Column]]:
        return [(i, column) for i, column in enumerate(self.columns) if not column.download_only]

    def page_rows(self) -> list[list[tuple[Column, Value]]]:
        shown = self.page_columns()
        return [[(column, row[i]) for i, column in shown] for row in self.rows]

    def symbols(self) -> set[str]:
        """The status symbols the page shows in this table (its legend explains each)."""
        shown = [i for i, _column in self.page_columns()]
        return {row[i].symbol for row in self.rows for i in shown if row[i].symbol}

    def download_columns(self) -> list[int]:
        return [i for i, column in enumerate(self.columns) if not column.page_only]
