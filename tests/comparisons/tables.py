"""Small hand-made release tables for the comparison tests.

``cell`` builds one row of the cells contract with defaults, so a test only spells out what it
is about. The standard table, ``release``, is Nederland, two provincies and four gemeenten (plus
a suppressed fifth and a large sixth) with one share, one mean and one count indicator; the
expected numbers are worked out by hand in the tests that use them.
"""

import numpy as np
import pandas as pd

NAN = np.nan
PROVINCIE_OF = {
    "GM01": "PV20",
    "GM02": "PV20",
    "GM03": "PV21",
    "GM04": "PV21",
    "GM05": "PV21",
    "GM06": "PV21",
}
LEVEL_OF_PREFIX = {"NL": "land", "PV": "provincie", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}


def cell(
    area_code,
    value,
    *,
    indicator="s",
    kind="share",
    direction=1,
    scale=100.0,
    numerator=NAN,
    denominator=NAN,
    status="V",
    year=2024,
    vintage=2024,
    sbi_section="",
    provincie_code=None,
    gemeente_code=None,
):
    level = LEVEL_OF_PREFIX[area_code[:2]]
    if provincie_code is None:
        provincie_code = {"land": "", "provincie": area_code}.get(
            level, PROVINCIE_OF.get(area_code, "PV20")
        )
    if gemeente_code is None:
        gemeente_code = {"gemeente": area_code}.get(level, "")
        if level in ("wijk", "buurt"):
            gemeente_code = "GM" + area_code[2:6]
    return {
        "indicator": indicator,
        "kind": kind,
        "direction": direction,
        "scale": scale,
        "area_code": area_code,
        "level": level,
        "provincie_code": provincie_code,
        "gemeente_code": gemeente_code,
        "vintage": vintage,
        "year": year,
        "sbi_section": sbi_section,
        "value": value,
        "status": status,
        "numerator": numerator,
        "denominator": denominator,
    }


def share(area_code, numerator, denominator, **kw):
    """A published share in % from its (rounded) counts."""
    return cell(
        area_code, numerator / denominator * 100, numerator=numerator, denominator=denominator, **kw
    )


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows)


def release() -> pd.DataFrame:
    rows = [
        # share "s" (%): NL 300/1000 = 30, PV20 100/400 = 25, PV21 200/600 = 33.33
        share("NL00", 300, 1000),
        share("PV20", 100, 400),
        share("PV21", 200, 600),
        share("GM01", 20, 100),  # 20
        share("GM02", 80, 300),  # 26.67
        share("GM03", 150, 300),  # 50
        share("GM04", 50, 300),  # 16.67
        # Suppressed: its numerator must never be used, even when a caller leaves it in.
        cell("GM05", NAN, status="A", numerator=999, denominator=1000),
        # mean "m": NL 40, PV20 15, PV21 60; gemeenten 10, 20, 30, 100, GM06 500
        *[
            cell(code, value, indicator="m", kind="mean", scale=NAN, direction=-1)
            for code, value in [
                ("NL00", 40),
                ("PV20", 15),
                ("PV21", 60),
                ("GM01", 10),
                ("GM02", 20),
                ("GM03", 30),
                ("GM04", 100),
                ("GM06", 500),
            ]
        ],
        # count "c": NL 1000, gemeenten 10, 20, 30, 40
        *[
            cell(code, value, indicator="c", kind="count", scale=NAN, direction=0)
            for code, value in [
                ("NL00", 1000),
                ("PV20", 300),
                ("PV21", 700),
                ("GM01", 10),
                ("GM02", 20),
                ("GM03", 30),
                ("GM04", 40),
            ]
        ],
    ]
    return frame(rows)


def context(year=2024, vintage=2024) -> pd.DataFrame:
    """GM01–GM05: urbanity 3 (2.6 and 3.4 round to 3), 20k–50k inhabitants; GM06: 1, 150k.

    Feature f places the gemeenten on a line at 0, 1, 3, 7, 12 and 30: no two distances from
    one gemeente are equal, so the nearest neighbours have no ties.
    """
    return pd.DataFrame(
        {
            "area_code": ["GM01", "GM02", "GM03", "GM04", "GM05", "GM06"],
            "vintage": vintage,
            "year": year,
            "stedelijkheid": [3, 2.6, 3.4, 3, 3, 1],
            "inwoners": [20_000, 25_000, 49_999, 30_000, 40_000, 150_000],
            "f": [0.0, 1.0, 3.0, 7.0, 12.0, 30.0],
        }
    )
