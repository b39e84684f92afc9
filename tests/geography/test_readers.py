"""Boundary files in other formats: TopoJSON, GeoPackage and GeoJSON in RD New."""

import json
import shutil
import sqlite3
import subprocess

import pytest
import shapely
from shapely.geometry import shape

from apps.core.problems import FileRejected
from apps.geography import services
from apps.geography.geometry import from_geos
from apps.geography.levels import Level
from apps.geography.models import Area
from apps.geography.readers import read_features
from tests.factories import (
    BAARN_BUURTEN,
    BAARN_WIJKEN,
    VINTAGE,
    data_file,
    feature,
    read_json,
    square,
    to_topojson,
    write_feature_collection,
)


def stored(codes) -> dict:
    return {
        area.code: from_geos(area.geometry)
        for area in Area.objects.filter(vintage=VINTAGE, code__in=list(codes))
    }


def source_geometries(relative: str, code_property: str) -> dict:
    return {
        item["properties"][code_property]: shape(item["geometry"])
        for item in read_json(data_file(relative))["features"]
    }


# ---------------------------------------------------------------- TopoJSON


@pytest.fixture
def buurten_topojson(tmp_path):
    collection = read_json(data_file(BAARN_BUURTEN))
    topology = to_topojson(collection["features"], "buurten")
    path = tmp_path / "buurten_2024.topojson"
    path.write_text(json.dumps(topology))
    return path, topology


def test_topojson_fixture_really_is_quantized_and_shares_arcs(buurten_topojson):
    """The converted file uses what a reader must handle (so the import test means something)."""
    _, topology = buurten_topojson
    assert set(topology["transform"]) == {"scale", "translate"}
    assert all(isinstance(v, int) for arc in topology["arcs"] for point in arc for v in point)
    # delta encoding: after the first position of an arc, steps are small
    assert max(abs(v) for arc in topology["arcs"] for point in arc[1:] for v in point) < 1_000_000
    references = [
        index
        for item in topology["objects"]["buurten"]["geometries"]
        for ring in (
            item["arcs"] if item["type"] == "Polygon" else [r for p in item["arcs"] for r in p]
        )
        for index in ring
    ]
    assert any(index < 0 for index in references), "no shared arc referenced in reverse"
    assert len(set(i if i >= 0 else ~i for i in references)) < len(references)


def test_topojson_imports_the_same_buurten_as_the_geojson(geo, buurten_topojson):
    path, _ = buurten_topojson
    expected = source_geometries(BAARN_BUURTEN, "buurtcode")

    report = services.import_boundaries(path, level=Level.BUURT, vintage=VINTAGE)

    assert (report.created, report.updated) == (0, 21)
    assert report.repaired == []
    imported = stored(expected)
    assert set(imported) == set(expected)
    for code, geometry in expected.items():
        assert imported[code].is_valid
        # quantized to a grid far finer than the 7 decimals of the source
        assert shapely.hausdorff_distance(imported[code], geometry) < 1e-7, code
        assert imported[code].area == pytest.approx(geometry.area, rel=1e-6), code
    # names come with the properties of each object
    assert Area.objects.get(vintage=VINTAGE, code="BU03080000").name == "Centrum"


def test_topojson_without_transform_and_with_a_shared_arc(tmp_path):
    # two squares side by side; the middle edge (arc 1) is shared, the right square walks it
    # the other way round (~1 == -2)
    topology = {
        "type": "Topology",
        "objects": {
            "wijken": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"wijkcode": "WK030800"}},
                    {"type": "Polygon", "arcs": [[2, ~1]], "id": "WK030801"},
                ],
            }
        },
        "arcs": [
            [[5.31, 52.22], [5.30, 52.22], [5.30, 52.21], [5.31, 52.21]],
            [[5.31, 52.21], [5.31, 52.22]],
            [[5.31, 52.21], [5.32, 52.21], [5.32, 52.22], [5.31, 52.22]],
        ],
    }
    path = tmp_path / "wijken.topojson"
    path.write_text(json.dumps(topology))
    source = read_features(path)
    assert source.format == "TopoJSON"
    left, right = (item.geometry for item in source.features)
    assert source.features[1].properties["id"] == "WK030801"
    assert left.is_valid and right.is_valid
    assert left.area == pytest.approx(1e-4) and right.area == pytest.approx(1e-4)
    assert left.intersection(right).length == pytest.approx(0.01)  # they share the edge
    assert left.intersection(right).area == 0


def test_topojson_with_several_objects_needs_a_layer(tmp_path):
    objects = {
        name: {"type": "GeometryCollection", "geometries": []} for name in ("wijken", "buurten")
    }
    path = tmp_path / "twee.topojson"
    path.write_text(json.dumps({"type": "Topology", "objects": objects, "arcs": []}))
    with pytest.raises(FileRejected) as caught:
        read_features(path)
    error = caught.value.errors[0]
    assert (error.file, error.field) == ("twee.topojson", "objects")
    assert "found: wijken, buurten" in error.message
    with pytest.raises(FileRejected, match="no layer 'gemeenten'"):
        read_features(path, layer="gemeenten")
    assert read_features(path, layer="buurten").features == []


def test_topojson_with_a_broken_arc_reference_is_rejected(geo, tmp_path):
    topology = {
        "type": "Topology",
        "objects": {
            "w": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[7]], "properties": {"wijkcode": "WK030800"}},
                ],
            }
        },
        "arcs": [[[5.3, 52.2], [5.31, 52.2], [5.31, 52.21], [5.3, 52.2]]],
    }
    path = tmp_path / "kapot.topojson"
    path.write_text(json.dumps(topology))
    with pytest.raises(FileRejected) as caught:
        services.import_boundaries(path, level=Level.WIJK, vintage=VINTAGE)
    error = caught.value.errors[0]
    assert (error.file, error.row, error.field) == ("kapot.topojson", 1, "geometry")
    assert "broken arc reference" in error.message


# ---------------------------------------------------------------- GeoPackage

needs_ogr2ogr = pytest.mark.skipif(
    shutil.which("ogr2ogr") is None, reason="needs ogr2ogr (gdal-bin)"
)


def ogr2ogr(*args):
    subprocess.run(["ogr2ogr", *map(str, args)], check=True, capture_output=True, timeout=60)


@needs_ogr2ogr
@pytest.mark.parametrize("target_srs", ["EPSG:28992", "EPSG:4326"])
def test_geopackage_imports_like_the_geojson(geo, tmp_path, target_srs):
    gpkg = tmp_path / "wijken.gpkg"
    ogr2ogr("-f", "GPKG", "-t_srs", target_srs, "-nln", "wijken", gpkg, data_file(BAARN_WIJKEN))
    expected = source_geometries(BAARN_WIJKEN, "wijkcode")

    report = services.import_boundaries(gpkg, level=Level.WIJK, vintage=VINTAGE)

    assert (report.created, report.updated) == (0, 5)
    imported = stored(expected)
    assert set(imported) == set(expected)
    for code, geometry in expected.items():
        got = imported[code]
        assert got.is_valid
        assert got.centroid.x == pytest.approx(geometry.centroid.x, abs=1e-4), code
        assert got.centroid.y == pytest.approx(geometry.centroid.y, abs=1e-4), code
        assert got.area == pytest.approx(geometry.area, rel=1e-3), code


@needs_ogr2ogr
def test_geopackage_with_two_layers_needs_a_layer_name(geo, tmp_path):
    gpkg = tmp_path / "baarn.gpkg"
    ogr2ogr("-f", "GPKG", "-nln", "wijken", gpkg, data_file(BAARN_WIJKEN))
    ogr2ogr("-f", "GPKG", "-update", "-nln", "buurten", gpkg, data_file(BAARN_BUURTEN))
    with pytest.raises(FileRejected) as caught:
        services.import_boundaries(gpkg, level=Level.BUURT, vintage=VINTAGE)
    assert caught.value.errors[0].field == "layer"
    assert (
        "buurten" in caught.value.errors[0].message and "wijken" in caught.value.errors[0].message
    )
    report = services.import_boundaries(gpkg, level=Level.BUURT, vintage=VINTAGE, layer="buurten")
    assert report.updated == 21


@needs_ogr2ogr
def test_geopackage_feature_without_geometry_or_with_lines_is_rejected(geo, tmp_path):
    source = write_feature_collection(
        tmp_path / "wijken.geojson",
        [
            feature({"wijkcode": "WK030800"}, square(5.28, 52.21)),
            feature({"wijkcode": "WK030801"}, None),
            feature(
                {"wijkcode": "WK030802"},
                {"type": "LineString", "coordinates": [[5.28, 52.21], [5.29, 52.22]]},
            ),
        ],
    )
    gpkg = tmp_path / "wijken.gpkg"
    ogr2ogr("-f", "GPKG", "-nln", "wijken", gpkg, source)
    before = Area.objects.get(vintage=VINTAGE, code="WK030800").geometry.wkt
    with pytest.raises(FileRejected) as caught:
        services.import_boundaries(gpkg, level=Level.WIJK, vintage=VINTAGE)
    errors = caught.value.errors
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("wijken.gpkg", 2, "geometry"),
        ("wijken.gpkg", 3, "geometry"),
    ]
    assert "no geometry" in errors[0].message
    assert "'LineString', expected a polygon" in errors[1].message
    assert Area.objects.get(vintage=VINTAGE, code="WK030800").geometry.wkt == before


def test_sqlite_file_that_is_not_a_geopackage_is_rejected(tmp_path):
    path = tmp_path / "grenzen.gpkg"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (1)")
    connection.close()
    with pytest.raises(FileRejected) as caught:
        read_features(path)
    assert caught.value.errors[0].file == "grenzen.gpkg"
    assert "not a GeoPackage" in caught.value.errors[0].message


# ---------------------------------------------------------------- GeoJSON with a CRS


@pytest.mark.parametrize("crs_name", ["EPSG:28992", "urn:ogc:def:crs:EPSG::28992"])
def test_geojson_in_rd_new_is_transformed_to_wgs84(tmp_path, crs_name):
    # Amersfoort, the origin area of RD New: x 155 km, y 463 km
    crs = {"type": "name", "properties": {"name": crs_name}}
    path = write_feature_collection(
        tmp_path / "rd.geojson",
        [feature({"wijkcode": "WK030800"}, square(155_000, 463_000, size=1000))],
        crs=crs,
    )
    geometry = read_features(path).features[0].geometry
    lon, lat = geometry.centroid.x, geometry.centroid.y
    assert lon == pytest.approx(5.3945, abs=2e-3)  # longitude first, not latitude
    assert lat == pytest.approx(52.1597, abs=2e-3)
    assert geometry.area == pytest.approx(1000 * 1000 / (68_400 * 111_250), rel=0.05)


def test_geojson_naming_crs84_is_read_as_is(tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path = write_feature_collection(
        tmp_path / "crs84.geojson",
        [feature({"wijkcode": "WK030800"}, square(5.28, 52.21))],
        crs=crs,
    )
    assert read_features(path).features[0].geometry.bounds == pytest.approx(
        (5.28, 52.21, 5.29, 52.22)
    )
