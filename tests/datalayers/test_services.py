"""Reading and checking a layer file: every row error names file, row and column, a file with
any error stores no value, and only editors of a gemeente upload, confirm, share and delete."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.core.models import AuditEvent
from apps.datalayers import selectors, services
from apps.datalayers.models import DataLayer, LayerValue
from apps.organisations import services as organisation_services
from apps.organisations.models import Role
from tests.datalayers.helpers import (
    BAARN_BUURTEN, BAARN_WIJKEN, DISTINCTIVE, csv_file, good_csv, upload, xlsx_file,
)
from tests.organisations.conftest import amsterdam, baarn, make_member, people  # noqa: F401

pytestmark = pytest.mark.usefixtures("geo")


def _problems(layer):
    return {(p["row"], p["field"], p["message"]) for p in layer.problems}


def test_a_clean_csv_becomes_a_preview_with_its_values(baarn, people):  # noqa: F811
    layer = upload(people["editor"], baarn, csv_file(good_csv()))
    assert layer.status == DataLayer.Status.PREVIEW
    assert layer.problems == []
    assert layer.row_count == 8 and layer.years == [2023, 2024]
    assert len(layer.checksum) == 64
    values = selectors.values(layer, year=2024)
    assert values["BU03080000"] == pytest.approx(DISTINCTIVE)  # decimal comma read
    assert set(values) == set(BAARN_BUURTEN)
    assert AuditEvent.objects.filter(action="layer_uploaded", actor=people["editor"]).exists()


def test_an_xlsx_with_other_header_spellings_and_a_name_column(baarn, people):  # noqa: F811
    rows = [["Wijkcode", "Naam", "JAAR", "Waarde"]]
    rows += [[code, "wijk", 2024, 2.5 + i] for i, code in enumerate(BAARN_WIJKEN)]
    layer = upload(people["admin"], baarn, xlsx_file(rows), level="wijk")
    assert layer.status == DataLayer.Status.PREVIEW, layer.problems
    assert layer.ignored_columns == ["Naam"]
    assert selectors.values(layer, year=2024) == {"WK030800": 2.5, "WK030801": 3.5, "WK030802": 4.5}


def test_every_row_error_is_named_and_nothing_is_stored(baarn, people):  # noqa: F811
    text = "\n".join([
        "code;jaar;waarde",
        "BU03080000;2024;1",      # 1 fine
        "BU03089999;2024;1",      # 2 unknown code
        "BU0363AD03;2024;1",      # 3 Amsterdam: outside Baarn
        "WK030800;2024;1",        # 4 a wijk in a buurt layer (and mixed levels)
        "BU03080001;24;1",        # 5 not a year
        "BU03080002;2024;veel",   # 6 not a number
        "BU03080000;2024;2",      # 7 duplicate of row 1
        "BU03080003;2024;",       # 8 value missing
        "XX;2024;1",              # 9 not a code at all
    ]) + "\n"
    layer = upload(people["editor"], baarn, csv_file(text, "fout.csv"))
    assert layer.status == DataLayer.Status.REJECTED
    assert LayerValue.objects.filter(layer=layer).count() == 0
    assert {p["file"] for p in layer.problems} == {"fout.csv"}
    by_row = {}
    for problem in layer.problems:
        by_row.setdefault(problem["row"], []).append((problem["field"], problem["message"]))
    assert [f for f, _m in by_row[2]] == ["code"] and "BU03089999" in by_row[2][0][1]
    assert "outside Baarn" in by_row[3][0][1]
    assert by_row[4][0][0] == "code" and "WK030800" in by_row[4][0][1]
    assert by_row[5][0][0] == "jaar"
    assert by_row[6] == [("waarde", "'veel' is not a number")]
    assert "first in row 1" in by_row[7][0][1]
    assert by_row[8][0][0] == "waarde"
    assert by_row[9][0][0] == "code"
    assert 1 not in by_row
    assert any(p["row"] is None and "mixes levels" in p["message"] for p in layer.problems)
    # Errors come in file order: the file-level ones first.
    rows = [p["row"] or 0 for p in layer.problems]
    assert rows == sorted(rows)


def test_missing_columns_and_an_unreadable_file_are_rejected(baarn, people):  # noqa: F811
    layer = upload(people["editor"], baarn, csv_file("buurt;waarde\nBU03080000;1\n"))
    assert layer.status == "rejected"
    assert ("jaar" in {p["field"] for p in layer.problems}) and ("code" not in {p["field"] for p in layer.problems})
    assert {p["row"] for p in layer.problems} == {None}
    empty = upload(people["editor"], baarn, csv_file("", "leeg.csv"))
    assert empty.status == "rejected" and empty.problems[0]["message"] == "the file is empty"
    assert LayerValue.objects.count() == 0


def test_the_upload_limit_of_the_stewards_applies(baarn, people, settings):  # noqa: F811
    settings.SOURCE_MAX_UPLOAD_BYTES = 50
    layer = upload(people["editor"], baarn, csv_file(good_csv()))
    assert layer.status == "rejected" and "limit" in layer.problems[0]["message"]


def test_codes_of_another_gemeente_are_refused(baarn, amsterdam, people):  # noqa: F811
    layer = upload(people["editor"], baarn, csv_file(good_csv(["BU0363AD03", "BU0363AD04"])))
    assert layer.status == "rejected"
    assert all("outside Baarn" in p["message"] for p in layer.problems)
    assert len(layer.problems) == 4 and LayerValue.objects.count() == 0


def test_only_editors_of_a_gemeente_upload(baarn, people):  # noqa: F811
    with pytest.raises(PermissionDenied):
        upload(people["member"], baarn, csv_file(good_csv()))
    with pytest.raises(PermissionDenied):
        upload(people["other_admin"], baarn, csv_file(good_csv()))
    riec = organisation_services.create_organisation(name="RIEC Midden-Nederland", slug="riec-mn", kind="riec")
    riec_editor = make_member(riec, Role.EDITOR)
    with pytest.raises(ValidationError):
        upload(riec_editor, riec, csv_file(good_csv()))
    assert DataLayer.objects.count() == 0


def test_confirm_share_and_delete_need_an_editor_and_sharing_needs_the_statement(baarn, people):  # noqa: F811
    layer = upload(people["editor"], baarn, csv_file(good_csv()))
    with pytest.raises(PermissionDenied):
        services.confirm_layer(user=people["member"], layer=layer)
    with pytest.raises(ValidationError):
        services.set_shared(user=people["editor"], layer=layer, shared=True, figures_may_be_shared=True)
    services.confirm_layer(user=people["editor"], layer=layer)
    layer.refresh_from_db()
    assert layer.status == "active" and layer.confirmed_by == people["editor"] and layer.confirmed_at
    with pytest.raises(ValidationError):
        services.confirm_layer(user=people["editor"], layer=layer)
    with pytest.raises(ValidationError):
        services.set_shared(user=people["editor"], layer=layer, shared=True, figures_may_be_shared=False)
    assert not layer.is_shared
    with pytest.raises(PermissionDenied):
        services.set_shared(user=people["member"], layer=layer, shared=True, figures_may_be_shared=True)
    services.set_shared(user=people["editor"], layer=layer, shared=True, figures_may_be_shared=True)
    assert DataLayer.objects.get(pk=layer.pk).is_shared
    with pytest.raises(PermissionDenied):
        services.delete_layer(user=people["other_admin"], layer=layer)
    services.delete_layer(user=people["editor"], layer=layer)
    assert not DataLayer.objects.exists() and not LayerValue.objects.exists()
    assert AuditEvent.objects.filter(action="layer_deleted").exists()
