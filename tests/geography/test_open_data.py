"""Loading a vintage from DATA_DIR (load_geography): lookup, boundaries, dissolve, web files.

These tests use a small data folder of their own (Baarn, under another year) so they are fast
and leave the session's 2024 data alone.
"""

import csv
import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from apps.geography import services
from apps.geography.geometry import from_geos
from apps.geography.levels import Level
from apps.geography.models import Area, GeometrySource, WebBoundaryFile
from apps.geography.open_data import OpenDataMissing, load_vintage
from tests.factories import BAARN, BAARN_BUURTEN, BAARN_GEMEENTE, BAARN_WIJKEN, LOOKUP, data_file

YEAR = 2033


def write_lookup(path, gemeenten: set[str]):
    with open(data_file(LOOKUP), newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if row["gemeentecode"] in gemeenten]
        fields = reader.fieldnames
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as target:
        writer = csv.DictWriter(target, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


@pytest.fixture
def baarn_data_dir(tmp_path):
    root = tmp_path / "data"
    write_lookup(root / "reference" / f"gebiedsindeling_{YEAR}.csv", {BAARN})
    (root / "boundaries").mkdir()
    shutil.copy(data_file(BAARN_GEMEENTE), root / "boundaries" / f"gemeenten_{YEAR}.geojson")
    shutil.copy(data_file(BAARN_WIJKEN), root / "boundaries" / f"wijken_{YEAR}.geojson")
    shutil.copy(data_file(BAARN_BUURTEN), root / "boundaries" / f"buurten_{YEAR}_baarn.geojson")
    return root


def test_load_vintage_imports_dissolves_and_builds(db, geo_web_root, baarn_data_dir):
    result = load_vintage(baarn_data_dir, YEAR)

    assert [report.file_name for report in result.reports] == [
        f"gebiedsindeling_{YEAR}.csv",
        f"gemeenten_{YEAR}.geojson",
        f"wijken_{YEAR}.geojson",
        f"buurten_{YEAR}_baarn.geojson",
    ]
    assert result.reports[0].created == 1 + 1 + 1 + 5 + 21  # NL00, PV26, GM0308, wijken, buurten
    assert [r.updated for r in result.reports[1:]] == [1, 5, 21]
    assert result.skipped == []
    assert result.dissolved == ["PV26", "NL00"]
    assert result.web_files == 3
    assert set(WebBoundaryFile.objects.filter(vintage=YEAR).values_list("level", "scope")) == {
        ("gemeente", "NL00"),
        ("wijk", BAARN),
        ("buurt", BAARN),
    }
    provincie = Area.objects.get(vintage=YEAR, code="PV26")
    gemeente = Area.objects.get(vintage=YEAR, code=BAARN)
    assert provincie.geometry_source == GeometrySource.DISSOLVED
    # Utrecht holds only Baarn in this small vintage, so its dissolved boundary is Baarn's
    assert (
        from_geos(provincie.geometry).symmetric_difference(from_geos(gemeente.geometry)).area < 1e-9
    )


def test_missing_optional_files_are_listed_as_skipped(db, geo_web_root, baarn_data_dir):
    for name in (f"wijken_{YEAR}.geojson", f"buurten_{YEAR}_baarn.geojson"):
        (baarn_data_dir / "boundaries" / name).unlink()
    result = load_vintage(baarn_data_dir, YEAR)
    assert [item.level for item in result.skipped] == [Level.WIJK, Level.BUURT]
    assert result.web_files == 1
    assert not Area.objects.filter(vintage=YEAR, level=Level.WIJK, geometry__isnull=False).exists()
    assert Area.objects.filter(vintage=YEAR, level=Level.WIJK).count() == 5


def test_missing_required_files_say_what_to_download(db, tmp_path):
    with pytest.raises(OpenDataMissing) as caught:
        load_vintage(tmp_path / "nothing-here", YEAR)
    message = str(caught.value)
    assert f"reference/gebiedsindeling_{YEAR}.csv" in message
    assert f"boundaries/gemeenten_{YEAR}.geojson" in message
    assert f"https://service.pdok.nl/cbs/wijkenbuurten/{YEAR}/wfs/v1_0" in message
    assert "DATA_DIR" in message
    assert f"wijken_{YEAR}" not in message  # optional files are not demanded
    assert not Area.objects.filter(vintage=YEAR).exists()


def test_a_provincie_with_gemeenten_missing_is_not_dissolved(db, tmp_path):
    # the lookup knows Baarn and Utrecht (GM0344), but only Baarn has a boundary
    lookup = tmp_path / "indeling.csv"
    write_lookup(lookup, {BAARN, "GM0344"})
    services.import_area_lookup(lookup, vintage=YEAR)
    services.import_boundaries(data_file(BAARN_GEMEENTE), level=Level.GEMEENTE, vintage=YEAR)

    assert services.dissolve_missing_boundaries(YEAR) == []
    for code in ("PV26", "NL00"):
        area = Area.objects.get(vintage=YEAR, code=code)
        assert (area.geometry, area.geometry_source) == (None, GeometrySource.NONE)


def test_load_geography_command(db, geo_web_root, baarn_data_dir):
    out = io.StringIO()
    call_command(
        "load_geography", "--vintage", str(YEAR), "--data-dir", str(baarn_data_dir), stdout=out
    )
    output = out.getvalue()
    assert f"gebiedsindeling_{YEAR}.csv: areas of {YEAR}: 29 added, 0 updated" in output
    assert "dissolved boundaries for: PV26, NL00" in output
    assert "3 web boundary files written" in output


def test_load_geography_command_without_data(db, tmp_path):
    with pytest.raises(CommandError, match=f"gebiedsindeling_{YEAR}.csv"):
        call_command("load_geography", "--vintage", str(YEAR), "--data-dir", str(tmp_path))


def test_load_geography_command_with_a_broken_file(db, geo_web_root, baarn_data_dir):
    (baarn_data_dir / "boundaries" / f"wijken_{YEAR}.geojson").write_text("{not json")
    with pytest.raises(CommandError) as caught:
        call_command("load_geography", "--vintage", str(YEAR), "--data-dir", str(baarn_data_dir))
    assert f"wijken_{YEAR}.geojson: not GeoJSON, TopoJSON or GeoPackage" in str(caught.value)
