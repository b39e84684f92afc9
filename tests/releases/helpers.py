"""Releases built straight from protected cells: no import needed, so no geography either."""

from apps.disclosure.models import DisclosureReport, ProtectedCell
from apps.releases import services
from apps.releases.models import PublishedValue, Release


def set_protected(cells: list[tuple]) -> None:
    """Replace the protected cells: (indicator, area_code, year, value, status[, synthetic])."""
    ProtectedCell.objects.all().delete()
    ProtectedCell.objects.bulk_create(
        ProtectedCell(
            indicator=cell[0], area_code=cell[1], vintage=2024, year=cell[2], value=cell[3], status=cell[4],
            synthetic=cell[5] if len(cell) > 5 else False,
        )
        for cell in cells
    )
    DisclosureReport.objects.create(passed=True, cell_count=len(cells))


def build(cells: list[tuple]) -> Release:
    set_protected(cells)
    return services.build_release(sources=[{"file": "test.csv", "sha256": "0" * 64, "uploaded_at": ""}])


def values(release: Release) -> list[tuple]:
    return sorted(
        PublishedValue.objects.filter(release=release).values_list("indicator", "area_code", "year", "value", "status")
    )


def current_numbers() -> list[int]:
    return list(Release.objects.filter(is_current=True).values_list("number", flat=True))


FIRST = [
    ("inwoners", "GM0308", 2024, 25065.0, "V"),
    ("inwoners", "BU03080000", 2024, 1825.0, "V"),
    ("inwoners", "BU03080400", 2024, None, "S"),
]
SECOND = [
    ("inwoners", "GM0308", 2024, 25100.0, "V"),  # changed
    ("inwoners", "BU03080000", 2024, 1825.0, "V"),  # unchanged
    ("inwoners", "BU03080400", 2024, None, "S"),  # unchanged
    ("inwoners", "BU03080001", 2024, 1010.0, "V"),  # added
]
