"""Boundary and lookup files: invalid geometry is repaired and reported; a wrong file is
rejected whole, with the file, row and field of every problem, and changes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.core.problems import FileRejected
from apps.geography import services
from apps.geography.levels import Level
from apps.geography.models import Area, BoundaryImport
from tests.factories import (
    BAARN_GEMEENTE,
    BAARN_WIJKEN,
    VINTAGE,
    bow_tie,
    data_file,
    feature,
    square,
    write_feature_collection,
)

# Near Baarn, in degrees
X, Y = 5.28, 52.21


def snapshot():
    """What an import could change: the areas, their boundaries and the import records."""
    return {
        "areas": Area.objects.count(),
        "with_geometry": Area.objects.filter(geometry__isnull=False).count(),
        "imports": BoundaryImport.objects.count(),
        "wk030800": Area.objects.get(vintage=VINTAGE, code="WK030800").geometry.wkt,
    }


def rejected(path, level=Level.WIJK, **options) -> FileRejected:
    before = snapshot()
    with pytest.raises(FileRejected) as caught:
        services.import_boundaries(path, level=level, vintage=VINTAGE, **options)
    assert snapshot() == before, "a rejected file changed the database"
    return caught.value


# ---------------------------------------------------------------- repair


def test_self_intersecting_polygon_is_repaired_and_reported(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "wijk_kapot.geojson",
        [feature({"wijkcode": "WK030800", "wijknaam": "Wijk 00 Baarn"}, bow_tie(X, Y))],
    )
    report = services.import_boundaries(path, level=Level.WIJK, vintage=VINTAGE)

    assert [item["code"] for item in report.repaired] == ["WK030800"]
    assert "Self-intersection" in report.repaired[0]["reason"]
    assert any("repaired WK030800" in line for line in report.lines())
    wijk = Area.objects.get(vintage=VINTAGE, code="WK030800")
    assert wijk.geometry.valid
    assert wijk.geometry.geom_type == "MultiPolygon"
    # both lobes of the bow-tie survive: two triangles of a quarter of the square each
    assert len(wijk.geometry) == 2
    assert wijk.geometry.area == pytest.approx(0.01 * 0.01 / 2)
    record = BoundaryImport.objects.latest("id")
    assert record.file_name == "wijk_kapot.geojson"
    assert [item["code"] for item in record.repaired] == ["WK030800"]
    assert record.repaired[0]["reason"] == report.repaired[0]["reason"]


def test_valid_geometry_is_not_reported_as_repaired(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "wijk.geojson", [feature({"wijkcode": "WK030800"}, square(X, Y))]
    )
    report = services.import_boundaries(path, level=Level.WIJK, vintage=VINTAGE)
    assert report.repaired == []
    assert BoundaryImport.objects.latest("id").repaired == []


def test_a_bow_tie_of_nothing_but_a_line_is_rejected(geo, tmp_path):
    # a ring that folds back on itself holds no area at all, even after repair
    flat = {"type": "Polygon", "coordinates": [[[X, Y], [X + 0.01, Y], [X + 0.02, Y], [X, Y]]]}
    path = write_feature_collection(
        tmp_path / "plat.geojson", [feature({"wijkcode": "WK030800"}, flat)]
    )
    error = rejected(path).errors[0]
    assert (error.row, error.field) == (1, "geometry")
    assert "WK030800" in error.message


# ---------------------------------------------------------------- rejected boundary files


def test_missing_code_in_one_row_rejects_the_whole_file(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "wijken.geojson",
        [
            feature({"wijkcode": "WK030800"}, square(X, Y)),  # would update
            feature({"wijknaam": "zonder code"}, square(X + 0.02, Y)),
            feature(
                {"wijkcode": "WK030898", "wijknaam": "Nieuw"}, square(X + 0.04, Y)
            ),  # would add
        ],
    )
    errors = rejected(path).errors
    assert len(errors) == 1
    assert (errors[0].file, errors[0].row, errors[0].field) == ("wijken.geojson", 2, "wijkcode")
    assert errors[0].message == "code missing"
    assert str(errors[0]) == "wijken.geojson, row 2, field 'wijkcode': code missing"
    assert not Area.objects.filter(code="WK030898").exists()


def test_file_without_any_code_property_is_rejected(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "namen.geojson", [feature({"naam": "Baarn"}, square(X, Y))]
    )
    error = rejected(path, level=Level.GEMEENTE).errors[0]
    assert error.file == "namen.geojson"
    assert "no code property for level gemeente" in error.message
    assert "gemeentecode" in error.message


def test_gemeente_file_imported_as_buurten_is_rejected(geo):
    # the gemeente file has no buurt code property at all
    error = rejected(data_file(BAARN_GEMEENTE), level=Level.BUURT).errors[0]
    assert error.file == "gemeente_2024.geojson"
    assert "level buurt" in error.message and "buurtcode" in error.message
    # pointed at its gemeente codes, they do not fit the buurt level
    error = rejected(
        data_file(BAARN_GEMEENTE), level=Level.BUURT, code_field="gemeentecode"
    ).errors[0]
    assert (error.file, error.row, error.field) == ("gemeente_2024.geojson", 1, "gemeentecode")
    assert "'GM0308' does not fit level buurt" in error.message
    assert "BU + 8 characters" in error.message


def test_wijk_file_imported_as_gemeenten_is_rejected_for_duplicate_codes(geo):
    # each wijk carries its gemeentecode, so read as gemeenten the code repeats
    errors = rejected(data_file(BAARN_WIJKEN), level=Level.GEMEENTE).errors
    assert [(e.row, e.field) for e in errors] == [
        (2, "gemeentecode"),
        (3, "gemeentecode"),
        (4, "gemeentecode"),
        (5, "gemeentecode"),
    ]
    assert errors[0].message == "code GM0308 also in row 1"


def test_code_of_the_wrong_length_is_rejected(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "gemeenten.geojson",
        [
            feature({"gemeentecode": "GM0308", "gemeentenaam": "Baarn"}, square(X, Y)),
            feature({"gemeentecode": "GM363", "gemeentenaam": "Amsterdam"}, square(4.9, 52.37)),
        ],
    )
    errors = rejected(path, level=Level.GEMEENTE).errors
    assert len(errors) == 1
    assert (errors[0].file, errors[0].row, errors[0].field) == (
        "gemeenten.geojson",
        2,
        "gemeentecode",
    )
    assert "'GM363' does not fit level gemeente (GM + 4 digits" in errors[0].message


def test_duplicate_codes_are_rejected(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "dubbel.geojson",
        [
            feature({"wijkcode": "WK030800"}, square(X, Y)),
            feature({"wijkcode": "WK030801"}, square(X + 0.02, Y)),
            feature({"wijkcode": "wk030800 "}, square(X + 0.04, Y)),  # same code, other spelling
        ],
    )
    errors = rejected(path).errors
    assert [(e.file, e.row, e.field) for e in errors] == [("dubbel.geojson", 3, "wijkcode")]
    assert errors[0].message == "code WK030800 also in row 1"


def test_non_json_file_is_rejected(geo, tmp_path):
    path = tmp_path / "grenzen.geojson"
    path.write_text("wijkcode;wijknaam\nWK030800;Centrum\n")
    error = rejected(path).errors[0]
    assert (error.file, error.row) == ("grenzen.geojson", None)
    assert "not GeoJSON, TopoJSON or GeoPackage" in error.message


def test_json_that_is_not_a_feature_collection_is_rejected(geo, tmp_path):
    path = tmp_path / "lijst.json"
    path.write_text('[{"wijkcode": "WK030800"}]')
    error = rejected(path).errors[0]
    assert (error.file, error.field) == ("lijst.json", "type")


def test_empty_feature_collection_is_rejected(geo, tmp_path):
    path = write_feature_collection(tmp_path / "leeg.geojson", [])
    assert "no features" in rejected(path).errors[0].message


def test_line_geometry_is_rejected(geo, tmp_path):
    line = {"type": "LineString", "coordinates": [[X, Y], [X + 0.01, Y + 0.01]]}
    path = write_feature_collection(
        tmp_path / "lijnen.geojson",
        [feature({"wijkcode": "WK030800"}, square(X, Y)), feature({"wijkcode": "WK030801"}, line)],
    )
    errors = rejected(path).errors
    assert [(e.file, e.row, e.field) for e in errors] == [("lijnen.geojson", 2, "geometry")]
    assert "WK030801" in errors[0].message
    assert "'LineString', expected a polygon" in errors[0].message


def test_feature_without_geometry_is_rejected(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "zonder.geojson", [feature({"wijkcode": "WK030800"}, None)]
    )
    error = rejected(path).errors[0]
    assert (error.row, error.field) == (1, "geometry")
    assert "no geometry" in error.message


def test_projected_coordinates_without_crs_are_rejected(geo, tmp_path):
    # RD New (EPSG:28992) metres near Baarn, but the file does not say so
    rd = square(146_000, 466_000, size=500)
    path = write_feature_collection(
        tmp_path / "rd.geojson", [feature({"wijkcode": "WK030800"}, rd)]
    )
    errors = rejected(path).errors
    assert [(e.file, e.row, e.field) for e in errors] == [("rd.geojson", 1, "geometry")]
    assert "must name its CRS" in errors[0].message


def test_unknown_crs_is_rejected(geo, tmp_path):
    crs = {"type": "name", "properties": {"name": "lokaal-raster"}}
    path = write_feature_collection(
        tmp_path / "crs.geojson", [feature({"wijkcode": "WK030800"}, square(X, Y))], crs=crs
    )
    error = rejected(path).errors[0]
    assert (error.file, error.field) == ("crs.geojson", "crs")


def test_crs_that_gdal_does_not_know_is_rejected(geo, tmp_path):
    crs = {"type": "name", "properties": {"name": "EPSG:99999999"}}
    path = write_feature_collection(
        tmp_path / "crs.geojson", [feature({"wijkcode": "WK030800"}, square(X, Y))], crs=crs
    )
    error = rejected(path).errors[0]
    assert (error.file, error.row, error.field) == ("crs.geojson", None, "crs")
    assert "unknown coordinate reference system 'EPSG:99999999'" in error.message


@pytest.mark.parametrize(
    "document",
    [
        {"type": "FeatureCollection", "crs": "EPSG:28992", "features": []},
        {"type": "FeatureCollection", "features": {"wijkcode": "WK030800"}},
        {"type": "FeatureCollection", "features": ["WK030800"]},
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": ["WK030800"], "geometry": None}],
        },
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": "POLYGON"}],
        },
        {"type": "Topology", "objects": ["wijken"]},
        {
            "type": "Topology",
            "transform": {"scale": [1, 1]},
            "objects": {"w": {"type": "GeometryCollection", "geometries": []}},
            "arcs": [[[0, 0]]],
        },
    ],
    ids=[
        "crs-string",
        "features-object",
        "feature-string",
        "properties-list",
        "geometry-string",
        "objects-list",
        "transform-without-translate",
    ],
)
def test_json_of_the_wrong_shape_is_rejected_not_a_crash(geo, tmp_path, document):
    path = tmp_path / "vreemd.json"
    path.write_text(json.dumps(document))
    error = rejected(path).errors[0]
    assert (error.file, error.row) == ("vreemd.json", None)
    assert error.message.startswith(f"not a valid {document['type']}")


def test_polygon_without_coordinates_is_rejected(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "leeg.geojson", [feature({"wijkcode": "WK030800"}, {"type": "Polygon"})]
    )
    error = rejected(path).errors[0]
    assert (error.row, error.field) == (1, "geometry")
    assert "unreadable geometry" in error.message


def test_every_problem_of_a_file_is_reported_in_file_order(geo, tmp_path):
    line = {"type": "LineString", "coordinates": [[X, Y], [X + 0.01, Y + 0.01]]}
    path = write_feature_collection(
        tmp_path / "alles.geojson",
        [
            feature({"wijkcode": "WK030800"}, square(X, Y)),
            feature({"wijkcode": ""}, square(X, Y)),
            feature({"wijkcode": "WK0308"}, square(X, Y)),
            feature({"wijkcode": "WK030800"}, square(X, Y)),
            feature({"wijkcode": "WK030802"}, line),
        ],
    )
    errors = rejected(path).errors
    assert [e.row for e in errors] == [2, 3, 4, 5]
    summary = str(
        pytest.raises(
            FileRejected, services.import_boundaries, path, level=Level.WIJK, vintage=VINTAGE
        ).value
    )
    assert summary.count("alles.geojson, row") == 4


def test_provincie_code_does_not_fit_the_land_level(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "land.geojson", [feature({"code": "PV26"}, square(X, Y))]
    )
    error = rejected(path, level=Level.LAND).errors[0]
    assert "does not fit level land" in error.message


# ---------------------------------------------------------------- the management command


def test_command_rejects_an_unknown_level_naming_the_known_ones(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "x.geojson", [feature({"code": "GM0308"}, square(X, Y))]
    )
    with pytest.raises(CommandError) as caught:
        call_command("import_boundaries", str(path), "--level", "foo")
    message = str(caught.value)
    assert "unknown level 'foo'" in message
    assert "known levels: land, provincie, gemeente, wijk, buurt" in message


def test_command_reports_a_rejected_file_and_changes_nothing(geo, tmp_path):
    path = write_feature_collection(
        tmp_path / "gemeenten.geojson", [feature({"gemeentecode": "GM363"}, square(X, Y))]
    )
    before = snapshot()
    with pytest.raises(CommandError) as caught:
        call_command("import_boundaries", str(path), "--level", "gemeente")
    assert snapshot() == before
    message = str(caught.value)
    assert message.startswith("gemeenten.geojson rejected, nothing imported")
    assert "gemeenten.geojson, row 1, field 'gemeentecode'" in message


def test_command_imports_and_schedules_the_web_file_rebuild(
    geo, tmp_path, django_capture_on_commit_callbacks
):
    path = write_feature_collection(
        tmp_path / "wijk.geojson", [feature({"wijkcode": "WK030800"}, square(X, Y))]
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("import_boundaries", str(path), "--level", "wijk", stdout=out)
    assert "wijk.geojson: wijk areas of 2024: 0 added, 1 updated" in out.getvalue()
    assert len(callbacks) == 1  # refresh_derived_boundaries, once the import is committed
    assert Area.objects.get(vintage=VINTAGE, code="WK030800").geometry.extent == pytest.approx(
        (X, Y, X + 0.01, Y + 0.01)
    )


def test_new_areas_without_a_known_parent_are_listed(db, tmp_path):
    # a vintage with no lookup yet: the wijk is added, its gemeente is not there
    path = write_feature_collection(
        tmp_path / "wijk.geojson",
        [feature({"wijkcode": "WK030800", "wijknaam": "Centrum"}, square(X, Y))],
    )
    report = services.import_boundaries(path, level=Level.WIJK, vintage=2030)
    assert (report.created, report.without_parent) == (1, ["WK030800"])
    assert "import the area lookup" in report.lines()[-1]
    area = Area.objects.get(vintage=2030, code="WK030800")
    assert (area.name, area.parent) == ("Centrum", None)


# ---------------------------------------------------------------- the area lookup


LOOKUP_HEADER = (
    "buurtcode,buurtnaam,wijkcode,wijknaam,gemeentecode,gemeentenaam,provinciecode,provincienaam\n"
)


def test_lookup_with_a_wrong_parent_is_rejected(db, tmp_path):
    path = tmp_path / "indeling.csv"
    path.write_text(
        LOOKUP_HEADER
        + "BU03080000,Centrum,WK030800,Wijk 00,GM0308,Baarn,PV26,Utrecht\n"
        + "BU03080001,Schoonoordpark,WK030801,Wijk 01,GM0308,Baarn,PV26,Utrecht\n"
        + "BU0308000,Kort,WK030800,Wijk 00,GM0308,Baarn,PV26,Utrecht\n"
    )
    with pytest.raises(FileRejected) as caught:
        services.import_area_lookup(path, vintage=2030)
    errors = caught.value.errors
    assert [(e.file, e.row, e.field) for e in errors] == [
        ("indeling.csv", 2, "buurtcode"),
        ("indeling.csv", 3, "buurtcode"),
    ]
    assert "BU03080001 cannot lie in WK030801; its code says WK030800" in errors[0].message
    assert "'BU0308000' does not fit level buurt" in errors[1].message
    assert not Area.objects.filter(vintage=2030).exists()
    assert not BoundaryImport.objects.filter(vintage=2030).exists()


def test_lookup_naming_one_area_two_ways_is_rejected(db, tmp_path):
    path = tmp_path / "indeling.csv"
    path.write_text(
        LOOKUP_HEADER
        + "BU03080000,Centrum,WK030800,Wijk 00,GM0308,Baarn,PV26,Utrecht\n"
        + "BU03080001,Schoonoord,WK030800,Wijk 00 Baarn,GM0308,Baarn,PV26,Utrecht\n"
    )
    with pytest.raises(FileRejected) as caught:
        services.import_area_lookup(path, vintage=2030)
    [error] = caught.value.errors
    assert (error.file, error.row, error.field) == ("indeling.csv", 2, "wijknaam")
    assert "WK030800 is named 'Wijk 00 Baarn' here but 'Wijk 00' in an earlier row" in error.message
    assert not Area.objects.filter(vintage=2030).exists()


def test_lookup_with_missing_columns_is_rejected(db, tmp_path):
    path = tmp_path / "indeling.csv"
    path.write_text("buurtcode,buurtnaam\nBU03080000,Centrum\n")
    with pytest.raises(FileRejected) as caught:
        services.import_area_lookup(path, vintage=2030)
    assert {e.field for e in caught.value.errors} == {
        "wijkcode",
        "wijknaam",
        "gemeentecode",
        "gemeentenaam",
        "provinciecode",
        "provincienaam",
    }
    assert all(e.message == "column missing" and e.row is None for e in caught.value.errors)


def test_small_lookup_builds_the_hierarchy(db, tmp_path):
    path = tmp_path / "indeling.csv"
    path.write_text(
        LOOKUP_HEADER
        + "BU0363AD03,Nieuwendijk-Noord,WK0363AD,Burgwallen-Nieuwe Zijde,GM0363,Amsterdam,"
        + "PV27,Noord-Holland\n"
        + "BU0363AD02,Hemelrijk,WK0363AD,Burgwallen-Nieuwe Zijde,GM0363,Amsterdam,"
        + "PV27,Noord-Holland\n"
    )
    report = services.import_area_lookup(path, vintage=2030)
    assert (report.created, report.updated) == (6, 0)  # 2 buurten, wijk, gemeente, provincie, NL00
    chain = Area.objects.select_related("parent__parent__parent__parent").get(
        vintage=2030, code="BU0363AD03"
    )
    codes = [
        chain.parent.code,
        chain.parent.parent.code,
        chain.parent.parent.parent.code,
        chain.parent.parent.parent.parent.code,
    ]
    assert codes == ["WK0363AD", "GM0363", "PV27", "NL00"]
    # a renamed area is updated, not duplicated
    path.write_text(path.read_text().replace("Hemelrijk", "Hemelrijk e.o."))
    report = services.import_area_lookup(path, vintage=2030)
    assert (report.created, report.updated) == (0, 1)
    assert Area.objects.get(vintage=2030, code="BU0363AD02").name == "Hemelrijk e.o."
    assert Area.objects.filter(vintage=2030).count() == 6


def test_lookup_command_reports_rejection(db, tmp_path):
    path = tmp_path / "indeling.csv"
    path.write_text(LOOKUP_HEADER + "BU03080000,,WK030800,Wijk 00,GM0308,Baarn,PV26,Utrecht\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_area_lookup", str(path), "--vintage", "2030")
    assert "indeling.csv, row 1, field 'buurtnaam': name missing" in str(caught.value)
