"""The open geography files Zicht loads from DATA_DIR, and how to get them.

The files go through the same import services as any steward's upload; this module only knows
where they lie and what a new user must download when they are missing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from . import services, webfiles
from .levels import Level


@dataclass(frozen=True)
class OpenDataFile:
    pattern: str  # relative to DATA_DIR; {vintage} is filled in; may be a glob
    level: Level | None  # None for the area lookup
    required: bool
    how_to_get: str


def open_data_files(vintage: int) -> list[OpenDataFile]:
    pdok = f"PDOK 'CBS Wijken en Buurten {vintage}' (https://service.pdok.nl/cbs/wijkenbuurten/{vintage}/wfs/v1_0)"
    return [
        OpenDataFile(
            f"reference/gebiedsindeling_{vintage}.csv",
            None,
            True,
            "the buurt→wijk→gemeente→provincie lookup: CBS table 'Kerncijfers wijken en buurten "
            f"{vintage}' (opendata.cbs.nl, the WijkenEnBuurten and Gemeentenaam dimensions) with CBS "
            "'Gebieden in Nederland' for the provincie, saved as CSV with the columns buurtcode, "
            "buurtnaam, wijkcode, wijknaam, gemeentecode, gemeentenaam, provinciecode, provincienaam",
        ),
        OpenDataFile(
            f"boundaries/gemeenten_{vintage}.geojson",
            Level.GEMEENTE,
            True,
            f"{pdok}, layer 'gemeenten', as GeoJSON in EPSG:4326 (outputFormat=json, srsName=EPSG:4326)",
        ),
        OpenDataFile(
            f"boundaries/wijken_{vintage}.geojson",
            Level.WIJK,
            False,
            f"{pdok}, layer 'wijken', as GeoJSON in EPSG:4326",
        ),
        OpenDataFile(
            f"boundaries/buurten_{vintage}*.geojson",
            Level.BUURT,
            False,
            f"{pdok}, layer 'buurten', as GeoJSON in EPSG:4326 (whole country, or one file per region)",
        ),
    ]


class OpenDataMissing(Exception):
    pass


def missing_data_help(data_dir: Path, vintage: int, missing: list[OpenDataFile]) -> str:
    lines = [f"The open geography data for {vintage} is not in {data_dir}.", "Download:"]
    for item in missing:
        lines.append(f"  - {item.pattern}: {item.how_to_get}")
    lines.append(
        f"Put the files under {data_dir} (or set DATA_DIR to the folder that holds them) and run "
        "the command again. Licence: CC BY 4.0, attribute CBS / Kadaster via PDOK."
    )
    return "\n".join(lines)


@dataclass
class LoadResult:
    reports: list[services.ImportReport] = field(default_factory=list)
    skipped: list[OpenDataFile] = field(default_factory=list)
    dissolved: list[str] = field(default_factory=list)
    web_files: int = 0


def load_vintage(data_dir: Path, vintage: int) -> LoadResult:
    """Import the lookup and every boundary file of a vintage, dissolve, build the web files."""
    data_dir = Path(data_dir)
    found: list[tuple[OpenDataFile, list[Path]]] = []
    missing = []
    for item in open_data_files(vintage):
        paths = sorted(data_dir.glob(item.pattern)) if data_dir.is_dir() else []
        if paths:
            found.append((item, paths))
        elif item.required:
            missing.append(item)
    if missing:
        raise OpenDataMissing(missing_data_help(data_dir, vintage, missing))
    result = LoadResult(skipped=[i for i in open_data_files(vintage) if i not in [f[0] for f in found]])
    for item, paths in found:
        for path in paths:
            if item.level is None:
                result.reports.append(services.import_area_lookup(path, vintage=vintage))
            else:
                result.reports.append(services.import_boundaries(path, level=item.level, vintage=vintage))
    for path in sorted(data_dir.glob(f"cbs/kwb_{vintage}_gebieden.csv")):
        services.import_postcodes(path, vintage=vintage)
    result.dissolved = services.dissolve_missing_boundaries(vintage)
    result.web_files = len(webfiles.build_web_boundary_files(vintage))
    return result
