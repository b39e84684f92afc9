"""Errors in input files, reported the way a steward needs them: file, row, field, message.

Every importer collects *all* problems of a file before anything is written, then raises
``FileRejected`` so the caller can show them and nothing is half-imported.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None  # 1-based data row or feature number; None for the file as a whole
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class FileRejected(Exception):
    """A file was not imported. ``errors`` holds every problem found, in file order."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [str(error) for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more")
        return "\n".join(lines)
