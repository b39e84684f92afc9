"""Writes to the geography: the area lookup, boundary files and dissolved boundaries.

Each import validates the whole file first and writes in one transaction, so a rejected file
changes nothing. Re-importing the same file for the same vintage updates rows in place and
adds nothing.
"""

import csv
import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction

from apps.core.bulk import refresh_statistics
from apps.core.problems import FileRejected, RowError

from .geometry import from_geos, polygonal_part, repair, to_geos
from .levels import (
    CODE_FORMAT_HELP,
    LEVEL_ORDER,
    NEDERLAND_CODE,
    Level,
    code_fits_level,
    parent_code_by_rule,
)
from .models import Area, BoundaryImport, GeometrySource
from .readers import read_features

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000

# Property names that hold an area's code and name, per level, in the files CBS and PDOK
# publish (and in files derived from them). The first one present in the file is used.
CODE_PROPERTIES = {
    Level.LAND: ["landcode", "statcode", "code", "id"],
    Level.PROVINCIE: ["provinciecode", "statcode", "PV_CODE", "code", "id"],
    Level.GEMEENTE: ["gemeentecode", "statcode", "GM_CODE", "code", "id"],
    Level.WIJK: ["wijkcode", "statcode", "WK_CODE", "code", "id"],
    Level.BUURT: ["buurtcode", "statcode", "BU_CODE", "code", "id"],
}
NAME_PROPERTIES = {
    Level.LAND: ["landnaam", "statnaam", "naam", "name"],
    Level.PROVINCIE: ["provincienaam", "statnaam", "PV_NAAM", "naam", "name"],
    Level.GEMEENTE: ["gemeentenaam", "statnaam", "GM_NAAM", "naam", "name"],
    Level.WIJK: ["wijknaam", "statnaam", "WK_NAAM", "naam", "name"],
    Level.BUURT: ["buurtnaam", "statnaam", "BU_NAAM", "naam", "name"],
}
# A gemeente's provincie does not follow from its code; a boundary file may carry it.
PARENT_PROPERTIES = {Level.GEMEENTE: ["provinciecode"]}

LOOKUP_COLUMNS = {
    Level.BUURT: ("buurtcode", "buurtnaam"),
    Level.WIJK: ("wijkcode", "wijknaam"),
    Level.GEMEENTE: ("gemeentecode", "gemeentenaam"),
    Level.PROVINCIE: ("provinciecode", "provincienaam"),
}


@dataclass
class ImportReport:
    file_name: str
    vintage: int
    level: str = ""
    created: int = 0
    updated: int = 0
    repaired: list[dict] = field(default_factory=list)
    without_parent: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        what = f"{self.level} " if self.level else ""
        out = [
            f"{self.file_name}: {what}areas of {self.vintage}: {self.created} added, {self.updated} updated"
        ]
        for item in self.repaired:
            out.append(f"  repaired {item['code']}: {item['reason']}")
        if self.without_parent:
            shown = ", ".join(self.without_parent[:10])
            more = f" and {len(self.without_parent) - 10} more" if len(self.without_parent) > 10 else ""
            out.append(
                f"  {len(self.without_parent)} areas have no parent yet ({shown}{more}); "
                "import the area lookup of this vintage to link them"
            )
        return out


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _normalise_code(value) -> str:
    return "" if value is None else str(value).strip().upper()


def _pick_property(features, candidates: list[str]) -> str | None:
    present = set()
    for feature in features:
        present.update(feature.properties)
    return next((name for name in candidates if name in present), None)


# ---------------------------------------------------------------- area lookup


def import_area_lookup(path: Path, *, vintage: int) -> ImportReport:
    """Create or update every area of a vintage from the buurt→wijk→gemeente→provincie lookup.

    The lookup is a CSV with one row per buurt (columns in LOOKUP_COLUMNS). It gives every area
    its name and its parent, also where no boundary polygon is loaded.
    """
    path = Path(path)
    name = path.name
    areas, errors = _read_lookup(path)
    if errors:
        raise FileRejected(errors)
    areas[NEDERLAND_CODE] = (Level.LAND, "Nederland", None)
    report = ImportReport(file_name=name, vintage=vintage)
    with transaction.atomic():
        created, updated = _upsert_areas(vintage, areas)
        report.created, report.updated = created, updated
        BoundaryImport.objects.create(
            kind=BoundaryImport.Kind.LOOKUP,
            vintage=vintage,
            file_name=name,
            checksum=file_checksum(path),
            created_count=created,
            updated_count=updated,
        )
    logger.info("lookup %s imported: %s added, %s updated", name, created, updated)
    return report


def import_postcodes(path: Path, *, vintage: int) -> int:
    """Each buurt's most common four-digit postcode from the CBS kerncijfers table (85984NED,
    column MeestVoorkomendePostcode_118). Rows that are not a buurt of this indeling, or have
    no valid postcode, are skipped: the postcode only helps search."""
    import csv

    postcodes = {}
    with open(path, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("regiocode") or "").strip().upper()
            postcode = (row.get("MeestVoorkomendePostcode_118") or "").strip()[:4]
            if code.startswith("BU") and len(postcode) == 4 and postcode.isdigit():
                postcodes[code] = postcode
    areas = list(Area.objects.filter(vintage=vintage, code__in=postcodes).only("id", "code", "postcode"))
    for area in areas:
        area.postcode = postcodes[area.code]
    with transaction.atomic():
        Area.objects.bulk_update(areas, ["postcode"], batch_size=2000)
    logger.info("postcodes of %s buurten from %s", len(areas), Path(path).name)
    return len(areas)


def _read_lookup(path: Path) -> tuple[dict, list[RowError]]:
    """Areas as {code: (level, name, parent_code)} and every problem found."""
    name = path.name
    errors: list[RowError] = []
    areas: dict[str, tuple[Level, str, str | None]] = {}
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        return {}, [RowError(name, None, "", f"cannot read the file: {exc.strerror}")]
    with handle:
        reader = csv.DictReader(handle)
        required = [column for pair in LOOKUP_COLUMNS.values() for column in pair]
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            return {}, [RowError(name, None, column, "column missing") for column in missing]
        for row_number, row in enumerate(reader, start=1):
            codes = {level: _normalise_code(row[columns[0]]) for level, columns in LOOKUP_COLUMNS.items()}
            row_ok = True
            for level, (code_column, name_column) in LOOKUP_COLUMNS.items():
                code = codes[level]
                if not code_fits_level(code, level):
                    errors.append(
                        RowError(
                            name,
                            row_number,
                            code_column,
                            f"code {code!r} does not fit level {level.value} ({CODE_FORMAT_HELP[level]})",
                        )
                    )
                    row_ok = False
                if not row[name_column].strip():
                    errors.append(RowError(name, row_number, name_column, "name missing"))
                    row_ok = False
            if not row_ok:
                continue
            parents = {
                Level.BUURT: codes[Level.WIJK],
                Level.WIJK: codes[Level.GEMEENTE],
                Level.GEMEENTE: codes[Level.PROVINCIE],
                Level.PROVINCIE: NEDERLAND_CODE,
            }
            for level in (Level.BUURT, Level.WIJK):
                by_rule = parent_code_by_rule(codes[level], level)
                if by_rule != parents[level]:
                    column = LOOKUP_COLUMNS[level][0]
                    errors.append(
                        RowError(
                            name,
                            row_number,
                            column,
                            f"{codes[level]} cannot lie in {parents[level]}; its code says {by_rule}",
                        )
                    )
                    row_ok = False
            if not row_ok:
                continue
            for level, (_, name_column) in LOOKUP_COLUMNS.items():
                code = codes[level]
                entry = (level, row[name_column].strip(), parents[level])
                known = areas.get(code)
                if known is None:
                    areas[code] = entry
                elif known[1] != entry[1]:
                    errors.append(
                        RowError(
                            name,
                            row_number,
                            name_column,
                            f"{code} is named {entry[1]!r} here but {known[1]!r} in an earlier row",
                        )
                    )
                elif known[2] != entry[2]:
                    errors.append(
                        RowError(
                            name,
                            row_number,
                            LOOKUP_COLUMNS[level][0],
                            f"{code} lies in {entry[2]} here but in {known[2]} in an earlier row",
                        )
                    )
    if not areas and not errors:
        errors.append(RowError(name, None, "", "the file holds no rows"))
    return areas, errors


def _upsert_areas(vintage: int, areas: dict[str, tuple[Level, str, str | None]]) -> tuple[int, int]:
    """Create or update areas (names and parents), top level first so parents exist."""
    existing = {area.code: area for area in Area.objects.filter(vintage=vintage)}
    to_create, to_update = [], []
    for code, (level, area_name, _) in areas.items():
        area = existing.get(code)
        if area is None:
            to_create.append(Area(vintage=vintage, code=code, level=level, name=area_name))
        elif area.name != area_name or area.level != level:
            area.name, area.level = area_name, level
            to_update.append(area)
    Area.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Area.objects.bulk_update(to_update, ["name", "level"], batch_size=BATCH_SIZE)
    _link_parents(vintage, {code: entry[2] for code, entry in areas.items()})
    return len(to_create), len(to_update)


def _link_parents(vintage: int, parent_codes: dict[str, str | None]) -> list[str]:
    """Point each area at its parent by code; return the codes whose parent is not there."""
    ids = dict(Area.objects.filter(vintage=vintage).values_list("code", "id"))
    current = dict(
        Area.objects.filter(vintage=vintage, code__in=list(parent_codes)).values_list("code", "parent_id")
    )
    changed, orphans = [], []
    for code, parent_code in parent_codes.items():
        parent_id = ids.get(parent_code) if parent_code else None
        if parent_code and parent_id is None:
            orphans.append(code)
            continue
        if parent_code and current.get(code) != parent_id:
            changed.append(Area(id=ids[code], parent_id=parent_id))
    Area.objects.bulk_update(changed, ["parent"], batch_size=BATCH_SIZE)
    refresh_statistics(Area)  # a whole indeling arrives at once
    return orphans


# ---------------------------------------------------------------- boundary files


def import_boundaries(
    path: Path,
    *,
    level: Level,
    vintage: int,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
) -> ImportReport:
    """Import the polygons of one level and vintage from a GeoJSON, TopoJSON or GeoPackage file.

    Invalid geometry is repaired (and reported); a file with a missing code property, codes that
    do not fit the level, duplicate codes or unreadable geometry is rejected whole.
    """
    path = Path(path)
    level = Level(level)
    source = read_features(path, layer=layer)
    name = source.name
    if not source.features:
        raise FileRejected([RowError(name, None, "", "the file holds no features")])

    code_field = code_field or _pick_property(source.features, CODE_PROPERTIES[level])
    if code_field is None:
        expected = ", ".join(CODE_PROPERTIES[level])
        raise FileRejected(
            [RowError(name, None, "", f"no code property for level {level.value}; expected one of: {expected}")]
        )
    name_field = name_field or _pick_property(source.features, NAME_PROPERTIES[level])
    parent_field = _pick_property(source.features, PARENT_PROPERTIES.get(level, []))

    errors: list[RowError] = []
    parsed: dict[str, dict] = {}
    repaired: list[dict] = []
    for feature in source.features:
        code = _normalise_code(feature.properties.get(code_field))
        if not code:
            errors.append(RowError(name, feature.row, code_field, "code missing"))
            continue
        if not code_fits_level(code, level):
            errors.append(
                RowError(
                    name,
                    feature.row,
                    code_field,
                    f"code {code!r} does not fit level {level.value} ({CODE_FORMAT_HELP[level]})",
                )
            )
            continue
        if code in parsed:
            errors.append(
                RowError(name, feature.row, code_field, f"code {code} also in row {parsed[code]['row']}")
            )
            continue
        if feature.error:
            errors.append(RowError(name, feature.row, "geometry", f"{code}: {feature.error}"))
            continue
        geometry, reason = repair(feature.geometry)
        if geometry.is_empty:
            errors.append(RowError(name, feature.row, "geometry", f"{code}: no area left after repair"))
            continue
        if reason:
            repaired.append({"code": code, "reason": reason})
        parent_code = parent_code_by_rule(code, level)
        if parent_field and feature.properties.get(parent_field):
            parent_code = _normalise_code(feature.properties[parent_field])
        parsed[code] = {
            "row": feature.row,
            "name": str(feature.properties.get(name_field) or "").strip() if name_field else "",
            "geometry": geometry,
            "parent": parent_code,
        }
    if errors:
        raise FileRejected(errors)

    report = ImportReport(file_name=name, vintage=vintage, level=level.value, repaired=repaired)
    with transaction.atomic():
        report.created, report.updated, report.without_parent = _write_boundaries(
            vintage, level, parsed, name
        )
        BoundaryImport.objects.create(
            kind=BoundaryImport.Kind.BOUNDARIES,
            vintage=vintage,
            level=level,
            file_name=name,
            checksum=file_checksum(path),
            created_count=report.created,
            updated_count=report.updated,
            repaired=repaired,
        )
    logger.info("boundaries %s imported: %s", name, "; ".join(report.lines()))
    return report


def _write_boundaries(vintage: int, level: Level, parsed: dict, file_name: str):
    existing = {area.code: area for area in Area.objects.filter(vintage=vintage, code__in=list(parsed))}
    clashes = [
        RowError(file_name, item["row"], "", f"{code} exists in {vintage} as a {existing[code].level}")
        for code, item in parsed.items()
        if code in existing and existing[code].level != level
    ]
    if clashes:
        raise FileRejected(clashes)
    to_create, to_update = [], []
    for code, item in parsed.items():
        area = existing.get(code)
        if area is None:
            area = Area(vintage=vintage, code=code, level=level, name=item["name"] or code)
            to_create.append(area)
        else:
            # The lookup names areas; a boundary file only names the areas it adds.
            area.name = area.name or item["name"]
            to_update.append(area)
        area.geometry = to_geos(item["geometry"])
        area.geometry_source = GeometrySource.FILE
    Area.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    Area.objects.bulk_update(to_update, ["name", "geometry", "geometry_source"], batch_size=BATCH_SIZE)
    # The code rule (wijk, buurt) or the file (a gemeente's provincie) names the parent; where
    # neither does, the parent the lookup gave stays.
    parent_codes = {code: item["parent"] for code, item in parsed.items() if item["parent"]}
    orphans = _link_parents(vintage, parent_codes)
    unparented = Area.objects.filter(vintage=vintage, code__in=list(parsed), parent__isnull=True)
    without_parent = sorted(set(orphans) | set(unparented.values_list("code", flat=True)))
    if level == Level.LAND:
        without_parent = []
    return len(to_create), len(to_update), without_parent


# ---------------------------------------------------------------- dissolve

# Slivers narrower than this (degrees, about 50 m) between neighbouring source polygons are
# closed before dissolving, so a provincie does not come out full of hairline holes.
DISSOLVE_GAP_WIDTH = 0.0005


def dissolve_missing_boundaries(vintage: int) -> list[str]:
    """Give provincies and Nederland without a boundary file the union of their children.

    Returns the codes that got a dissolved boundary. A parent whose children are not all
    loaded is left without a boundary rather than drawn incomplete.
    """
    done = []
    for level in (Level.PROVINCIE, Level.LAND):
        child = Level(LEVEL_ORDER[LEVEL_ORDER.index(level) + 1])
        parents = Area.objects.filter(vintage=vintage, level=level).exclude(
            geometry_source=GeometrySource.FILE
        )
        children_by_parent = defaultdict(list)
        for parent_id, geometry in Area.objects.filter(
            vintage=vintage, level=child, parent__in=parents
        ).values_list("parent_id", "geometry"):
            children_by_parent[parent_id].append(geometry)
        for parent in parents:
            geometries = children_by_parent.get(parent.id, [])
            if not geometries or any(g is None for g in geometries):
                continue
            cleaned = shapely.coverage_clean([from_geos(g) for g in geometries], gap_width=DISSOLVE_GAP_WIDTH)
            parent.geometry = to_geos(polygonal_part(shapely.union_all(cleaned)))
            parent.geometry_source = GeometrySource.DISSOLVED
            parent.save(update_fields=["geometry", "geometry_source"])
            done.append(parent.code)
    return done
