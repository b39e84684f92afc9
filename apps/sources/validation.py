"""Vectorised cell checks shared by the kinds. Each returns what it parsed and a list of
RowErrors naming file, row and column; rows are numbered from the first data row (1)."""

import re

import numpy as np
import pandas as pd

from apps.core.problems import RowError
from apps.geography.levels import CODE_PATTERNS, Level

# CBS publishes these instead of a number (Kerncijfers wijken en buurten).
NOT_AVAILABLE = "N"  # -99995 (not yet available), '.', empty
SECRET = "S"  # -99997 (geheim)
SPECIAL_CODES = {"-99995": NOT_AVAILABLE, "-99997": SECRET, ".": NOT_AVAILABLE, "": NOT_AVAILABLE}
SPECIAL_VALUES = {-99995: NOT_AVAILABLE, -99997: SECRET}

MAX_ERRORS_PER_COLUMN = 1000


def errors_for(name: str, column: str, mask: pd.Series, message) -> list[RowError]:
    """One RowError per flagged row (at most MAX_ERRORS_PER_COLUMN per column).

    Frames keep the file's row positions as their index (0 = first data row), so a mask over
    part of a frame still names the right row. ``message`` is a string or a function of the
    index label.
    """
    labels = mask.index[mask.fillna(False).to_numpy(dtype=bool)][:MAX_ERRORS_PER_COLUMN]
    return [
        RowError(name, int(label) + 1, column, message if isinstance(message, str) else message(label))
        for label in labels
    ]


def parse_numbers(
    series: pd.Series, *, decimal_comma: bool = False, special_codes: bool = True
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(values, status, bad) of a text column: CBS special codes become a status, not a value."""
    text = series.str.replace(",", ".", regex=False) if decimal_comma else series
    status = text.map(SPECIAL_CODES).fillna("") if special_codes else pd.Series("", index=series.index)
    if not special_codes:
        status = status.where(text != "", NOT_AVAILABLE)
    values = pd.to_numeric(text.where(status == ""), errors="coerce")
    if special_codes:
        # Files written from a float column give the codes as "-99995.0" and "-99997.0".
        for code, meaning in SPECIAL_VALUES.items():
            status = status.mask(values == code, meaning)
        values = values.where(status == "")
    # "inf", "nan" and "Infinity" are text to a steward, not numbers.
    bad = (status == "") & ~np.isfinite(values.astype(float))
    return values, status, bad


def check_codes(name: str, column: str, codes: pd.Series, levels: pd.Series, known: set | None) -> list[RowError]:
    """Codes must fit their level's format and, when the indeling is loaded, exist in it."""
    errors = []
    fits = pd.Series(False, index=codes.index)
    for level in Level:
        at_level = levels == level.value
        if at_level.any():
            fits |= at_level & codes.str.fullmatch(CODE_PATTERNS[level].pattern)
    wrong = ~fits
    errors += errors_for(
        name, column, wrong, lambda i: f"code {codes.at[i]!r} does not fit level {levels.at[i]!r}"
    )
    if known is not None:
        unknown = fits & ~codes.isin(known)
        errors += errors_for(name, column, unknown, lambda i: f"unknown area code {codes.at[i]}")
    return errors


def level_from_code(codes: pd.Series) -> pd.Series:
    prefixes = {"NL": "land", "PV": "provincie", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
    return codes.str[:2].map(prefixes).fillna("")


YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def year_from_name(file_name: str) -> int | None:
    found = YEAR_IN_NAME.findall(file_name)
    return int(found[0]) if len(set(found)) == 1 else None
