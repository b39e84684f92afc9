"""Web boundary files: simplified as a coverage (no gaps, no overlaps), small, content-hashed."""

import gzip
import hashlib
import json

import pytest
import shapely
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon
from shapely.geometry import shape

from apps.geography import services, webfiles
from apps.geography.levels import Level
from apps.geography.models import Area, WebBoundaryFile
from tests.factories import BAARN, BAARN_BUURTEN, BAARN_WIJKEN, VINTAGE, data_file, read_json


def web_file(level: str, scope: str) -> WebBoundaryFile:
    return WebBoundaryFile.objects.get(vintage=VINTAGE, level=level, scope=scope)


def load(item: WebBoundaryFile) -> dict:
    return json.loads((settings.GEO_WEB_ROOT / item.file_name).read_bytes())


def geometries(collection: dict) -> list:
    return [shape(item["geometry"]) for item in collection["features"]]


def assert_clean_coverage(geoms, what: str):
    invalid = [i for i, g in enumerate(geoms) if not g.is_valid]
    assert invalid == [], f"{what}: invalid geometries at {invalid}"
    assert shapely.coverage_is_valid(geoms), f"{what}: overlaps or shared edges that differ"


def test_the_session_built_one_file_per_level_and_scope(geo):
    scopes = set(WebBoundaryFile.objects.filter(vintage=VINTAGE).values_list("level", "scope"))
    gemeenten_with_wijken = set(
        Area.objects.filter(vintage=VINTAGE, level=Level.WIJK).values_list(
            "parent__code", flat=True
        )
    )
    assert ("gemeente", "NL00") in scopes
    assert {scope for level, scope in scopes if level == "wijk"} == gemeenten_with_wijken
    assert {scope for level, scope in scopes if level == "buurt"} == {BAARN}
    assert len(scopes) == 1 + len(gemeenten_with_wijken) + 1
    assert len(geo.web_files) == len(scopes)


def test_national_gemeente_file_is_a_clean_small_coverage(geo):
    item = web_file("gemeente", "NL00")
    collection = load(item)
    codes = [f["properties"]["code"] for f in collection["features"]]
    assert len(codes) == item.feature_count == 342
    assert len(set(codes)) == 342
    assert_clean_coverage(geometries(collection), "gemeenten")
    assert item.gzip_bytes <= 150_000
    assert item.size_bytes == (settings.GEO_WEB_ROOT / item.file_name).stat().st_size
    baarn = next(f for f in collection["features"] if f["properties"]["code"] == BAARN)
    assert baarn["properties"] == {"code": BAARN, "name": "Baarn", "parent": "PV26"}


def test_national_gemeente_file_keeps_every_gemeente_close_to_its_source(geo):
    item = web_file("gemeente", "NL00")
    simplified = {f["properties"]["code"]: shape(f["geometry"]) for f in load(item)["features"]}
    source = {
        f["properties"]["gemeentecode"]: shape(f["geometry"])
        for f in read_json(data_file("boundaries/gemeenten_2024.geojson"))["features"]
    }
    assert set(simplified) == set(source)
    for code, geometry in source.items():
        # the outline moves by about the tolerance (~0.0008 degrees), the area barely changes
        assert simplified[code].centroid.distance(geometry.centroid) < 0.002, code
        assert simplified[code].symmetric_difference(geometry).area < 0.05 * geometry.area, code
    total = shapely.union_all(list(source.values())).area
    assert shapely.union_all(list(simplified.values())).area == pytest.approx(total, rel=0.01)


@pytest.mark.parametrize(
    ("level", "relative", "code_property", "count"),
    [("wijk", BAARN_WIJKEN, "wijkcode", 5), ("buurt", BAARN_BUURTEN, "buurtcode", 21)],
)
def test_baarn_files_are_clean_coverages_without_gaps(geo, level, relative, code_property, count):
    item = web_file(level, BAARN)
    collection = load(item)
    assert item.feature_count == len(collection["features"]) == count
    codes = {f["properties"]["code"] for f in collection["features"]}
    source = {
        f["properties"][code_property]: shape(f["geometry"])
        for f in read_json(data_file(relative))["features"]
    }
    assert codes == set(source)
    simplified = geometries(collection)
    assert_clean_coverage(simplified, f"{level} {BAARN}")

    original_union = shapely.union_all(list(source.values()))
    simplified_union = shapely.union_all(simplified)
    # no gaps opened and nothing added: the outlines cover the same ground
    assert simplified_union.symmetric_difference(original_union).area < 0.01 * original_union.area
    # no holes between neighbours: the union has no more holes than the original's
    holes = lambda g: sum(len(p.interiors) for p in getattr(g, "geoms", [g]))  # noqa: E731
    assert holes(simplified_union) <= holes(original_union)
    assert item.gzip_bytes < item.size_bytes


def test_every_wijk_file_is_a_clean_coverage(geo):
    files = WebBoundaryFile.objects.filter(vintage=VINTAGE, level="wijk")
    assert files.count() == 342
    broken = []
    for item in files:
        geoms = geometries(load(item))
        if not (all(g.is_valid for g in geoms) and shapely.coverage_is_valid(geoms)):
            broken.append(item.scope)
    assert broken == []


def test_web_buurten_file_is_smaller_than_the_full_resolution_source(geo):
    item = web_file("buurt", BAARN)
    assert item.size_bytes < data_file(BAARN_BUURTEN).stat().st_size / 2


def test_file_names_carry_the_hash_of_their_content(geo):
    for item in WebBoundaryFile.objects.filter(vintage=VINTAGE):
        content = (settings.GEO_WEB_ROOT / item.file_name).read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:12]
        assert item.file_name == f"{item.level}-{item.scope}-{VINTAGE}.{digest}.geojson"
        assert (
            gzip.decompress((settings.GEO_WEB_ROOT / f"{item.file_name}.gz").read_bytes())
            == content
        )
        assert item.gzip_bytes == (settings.GEO_WEB_ROOT / f"{item.file_name}.gz").stat().st_size


def test_simplify_coverage_keeps_shared_edges_shared():
    # three strips whose shared borders zigzag finely; simplified, they still fit exactly
    import numpy as np

    xs = np.linspace(5.0, 5.1, 200)
    wiggle = 0.00002 * np.sin(np.arange(200))
    lines = [np.column_stack([xs, 52.0 + 0.01 * k + wiggle]) for k in range(4)]
    strips = [shapely.Polygon(np.vstack([lines[k], lines[k + 1][::-1]])) for k in range(3)]
    assert shapely.coverage_is_valid(strips)
    simplified = webfiles.simplify_coverage(strips, webfiles.SIMPLIFICATION[Level.BUURT])
    assert_clean_coverage(list(simplified), "strips")
    assert shapely.get_num_coordinates(simplified).sum() < shapely.get_num_coordinates(strips).sum()
    assert shapely.union_all(simplified).area == pytest.approx(
        shapely.union_all(strips).area, rel=1e-3
    )


def test_rebuilding_replaces_changed_files_and_removes_the_old_ones(db, geo_web_root):
    """A small vintage of its own: Baarn's wijken and buurten, built into a folder of the test."""
    vintage = 2031
    services.import_boundaries(data_file(BAARN_WIJKEN), level=Level.WIJK, vintage=vintage)
    services.import_boundaries(data_file(BAARN_BUURTEN), level=Level.BUURT, vintage=vintage)

    first = {item.file_name for item in webfiles.build_web_boundary_files(vintage)}
    assert {name.split(".")[0] for name in first} == {"wijk-GM0308-2031", "buurt-GM0308-2031"}
    on_disk = {path.name for path in geo_web_root.iterdir()}
    assert on_disk == first | {f"{name}.gz" for name in first}

    # the same data gives the same files
    again = {item.file_name for item in webfiles.build_web_boundary_files(vintage)}
    assert again == first

    # a changed buurt gives a new buurt file; the old one is gone from disk and database
    wijk_file = WebBoundaryFile.objects.get(vintage=vintage, level="wijk").file_name
    old_buurt_file = WebBoundaryFile.objects.get(vintage=vintage, level="buurt").file_name
    area = Area.objects.get(vintage=vintage, code="BU03080000")
    area.geometry = MultiPolygon(area.geometry.buffer(-0.0005))
    area.save()
    webfiles.build_web_boundary_files(vintage)
    new_buurt_file = WebBoundaryFile.objects.get(vintage=vintage, level="buurt").file_name
    assert new_buurt_file != old_buurt_file
    assert not (geo_web_root / old_buurt_file).exists()
    assert not (geo_web_root / f"{old_buurt_file}.gz").exists()
    assert (geo_web_root / new_buurt_file).exists()
    assert WebBoundaryFile.objects.get(vintage=vintage, level="wijk").file_name == wijk_file
    assert WebBoundaryFile.objects.filter(vintage=vintage).count() == 2


def test_files_of_a_level_that_lost_its_boundaries_are_removed(db, geo_web_root):
    vintage = 2032
    services.import_boundaries(data_file(BAARN_BUURTEN), level=Level.BUURT, vintage=vintage)
    (built,) = webfiles.build_web_boundary_files(vintage)
    Area.objects.filter(vintage=vintage).update(geometry=None, geometry_source="")
    assert webfiles.build_web_boundary_files(vintage) == []
    assert not WebBoundaryFile.objects.filter(vintage=vintage).exists()
    assert not (geo_web_root / built.file_name).exists()
