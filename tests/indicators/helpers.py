"""Small hand-made staged data for the engine and theme tests: records and observations written
straight into the restricted tables, on real 2024 codes (the session's ``geo`` fixture).

Five buurten in two provincies:

    NL00 ─ PV26 ─ GM0308 ─ WK030800 ─ B1 BU03080000, B2 BU03080001
                │        └ WK030801 ─ B3 BU03080100
                └ GM0307 ─ WK030720 ─ B4 BU03072004
         └ PV27 ─ GM0363 ─ WK0363KA ─ B5 BU0363KA05
"""

import itertools
from datetime import date

import pandas as pd

from apps.geography.levels import level_of_code
from apps.indicators import registry, services
from apps.indicators.staged import StagedData
from apps.sources.models import Observation, Record, SourceFile

B1, B2, B3, B4, B5 = "BU03080000", "BU03080001", "BU03080100", "BU03072004", "BU0363KA05"
WK1, WK2, WK4, WK5 = "WK030800", "WK030801", "WK030720", "WK0363KA"
BAARN, AMERSFOORT, AMSTERDAM = "GM0308", "GM0307", "GM0363"
UTRECHT, NOORD_HOLLAND, NL = "PV26", "PV27", "NL00"

_numbers = itertools.count(1)


def source_file() -> SourceFile:
    number = next(_numbers)
    return SourceFile.objects.create(
        sha256=f"{number:064x}", original_name=f"test-{number}.csv", size_bytes=1, stored_path=f"x/{number}"
    )


def add_records(kind: str, rows: list[dict], *, vintage: int = 2024) -> None:
    """Records of a kind. Each row: buurt, date ('YYYY-MM-DD'), and optionally id, end, amount,
    sbi, category, subject, object, flags (dict), synthetic."""
    file = source_file()
    start = Record.objects.count()
    Record.objects.bulk_create(
        Record(
            kind=kind,
            record_id=row.get("id", f"{kind[:3]}-{start + i}"),
            vintage=vintage,
            buurt_code=row["buurt"],
            date=date.fromisoformat(row["date"]),
            end_date=date.fromisoformat(row["end"]) if row.get("end") else None,
            year=int(row["date"][:4]),
            amount=row.get("amount"),
            sbi_code=row.get("sbi", ""),
            category=row.get("category", ""),
            subject_id=row.get("subject", ""),
            object_id=row.get("object", ""),
            flags=row.get("flags", {}),
            synthetic=row.get("synthetic", False),
            source_file=file,
        )
        for i, row in enumerate(rows)
    )


def add_observations(variable: str, values: dict, *, vintage: int = 2024, dataset: str = "cbs_kwb:cbs-85984") -> None:
    """values: {(area_code, year): value or 'S' (secret) or 'N' (not available)}."""
    file = source_file()
    Observation.objects.bulk_create(
        Observation(
            dataset=dataset,
            variable=variable,
            vintage=vintage,
            area_code=code,
            level=level_of_code(code).value,
            year=year,
            value=None if value in ("S", "N") else value,
            status=value if value in ("S", "N") else "",
            source_file=file,
        )
        for (code, year), value in values.items()
    )


def compute(slug: str, staged: StagedData | None = None) -> pd.DataFrame:
    return services.compute(registry.get(slug), staged or StagedData())


def cell(cells: pd.DataFrame, area: str, year: int, section: str = "") -> dict:
    """The one cell of an area, year and section, as a dict."""
    found = cells[(cells["area_code"] == area) & (cells["year"] == year) & (cells["sbi_section"] == section)]
    assert len(found) == 1, f"{len(found)} cells for {area} {year} {section!r}"
    return found.iloc[0].to_dict()


def values(cells: pd.DataFrame, year: int, section: str = "") -> dict:
    """{area_code: value} of the cells of a year and section."""
    part = cells[(cells["year"] == year) & (cells["sbi_section"] == section)]
    return dict(zip(part["area_code"], part["value"]))
