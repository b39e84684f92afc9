"""prepare_run: the dry run a steward sees before confirming. It keeps the raw file, counts what
would change and stores every problem, and never touches the staged data."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from apps.core.models import AuditEvent
from apps.sources import selectors, services
from apps.sources.models import ImportProblem, ImportRun, Observation, Record, RunFile, SourceFile
from tests.sources.helpers import (
    BAARN_CRIME,
    BUURT,
    BUURT_2,
    UNKNOWN_BUURT,
    import_and_confirm,
    preview,
    real,
    write_crime,
    write_csv,
    write_extract,
)

pytestmark = pytest.mark.usefixtures("geo")

CRIME = [
    ("GM0308", "gemeente", 2024, 972),
    (BUURT, "buurt", 2024, 120),
    (BUURT_2, "buurt", 2024, 30),
    (BUURT, "buurt", 2023, 110),
]


def counts(run: ImportRun) -> dict:
    entry = run.summary["files"][0]
    return {key: entry[key] for key in ("added", "changed", "unchanged", "removed")}


def staged_state() -> tuple:
    return (
        sorted(Observation.objects.values_list("dataset", "variable", "area_code", "year", "value", "status")),
        sorted(Record.objects.values_list("kind", "record_id", "buurt_code", "date", "amount", "flags")),
    )


def test_preview_of_a_new_file_counts_every_row_as_added(tmp_path):
    run = preview(write_crime(tmp_path / "misdrijven.csv", CRIME))

    assert run.status == ImportRun.Status.PREVIEW
    assert run.kind == "politie_misdrijven"  # detected
    assert (run.rows_total, run.error_count) == (4, 0)
    assert counts(run) == {"added": 4, "changed": 0, "unchanged": 0, "removed": 0}
    entry = run.summary["files"][0]
    assert (entry["years"], entry["vintage"], entry["already_imported"]) == ([2023, 2024], 2024, None)
    assert not Observation.objects.exists()


def test_preview_counts_changes_against_the_staged_data(tmp_path, django_capture_on_commit_callbacks):
    first = import_and_confirm(write_crime(tmp_path / "v1.csv", CRIME), django_capture_on_commit_callbacks)
    assert first.status == ImportRun.Status.SUCCEEDED
    assert Observation.objects.count() == 4

    same = preview(write_crime(tmp_path / "v1-again.csv", CRIME))
    assert counts(same) == {"added": 0, "changed": 0, "unchanged": 4, "removed": 0}

    changed = [CRIME[0], (BUURT, "buurt", 2024, 121), CRIME[2], CRIME[3]]
    assert counts(preview(write_crime(tmp_path / "v2.csv", changed))) == {
        "added": 0, "changed": 1, "unchanged": 3, "removed": 0,
    }

    without_a_row = [CRIME[0], CRIME[1], CRIME[3]]
    assert counts(preview(write_crime(tmp_path / "v3.csv", without_a_row))) == {
        "added": 0, "changed": 0, "unchanged": 3, "removed": 1,
    }

    with_a_row = CRIME + [("BU03080002", "buurt", 2024, 7)]
    assert counts(preview(write_crime(tmp_path / "v4.csv", with_a_row))) == {
        "added": 1, "changed": 0, "unchanged": 4, "removed": 0,
    }

    # Secret instead of a number is a change too.
    secret = [CRIME[0], CRIME[1], (BUURT_2, "buurt", 2024, -99997), CRIME[3]]
    assert counts(preview(write_crime(tmp_path / "v5.csv", secret)))["changed"] == 1

    # None of these previews touched the staged data.
    assert sorted(Observation.objects.values_list("area_code", "year", "value")) == sorted(
        (code, year, value) for code, _, year, value in CRIME
    )


def test_preview_of_records_counts_changed_flags_amounts_and_removed_ones(tmp_path, django_capture_on_commit_callbacks):
    run = import_and_confirm(write_extract(tmp_path, "kadaster_transacties"), django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert Record.objects.count() == 2

    assert counts(preview(write_extract(tmp_path, "kadaster_transacties", name="same.csv"))) == {
        "added": 0, "changed": 0, "unchanged": 2, "removed": 0,
    }
    assert counts(preview(write_extract(tmp_path, "kadaster_transacties", name="amount.csv",
                                        changes={(1, "koopsom"): "350001"})))["changed"] == 1
    # A flag is a figure the indicators count: changing it is a change.
    assert counts(preview(write_extract(tmp_path, "kadaster_transacties", name="flag.csv",
                                        changes={(2, "onverklaarbaar"): "nee"})))["changed"] == 1
    assert counts(preview(write_extract(tmp_path, "kadaster_transacties", name="buyer.csv",
                                        changes={(2, "koper_id"): "K9"})))["changed"] == 1
    header, rows = (["transactie_id", "object_id", "buurtcode", "datum", "koopsom", "koper_id",
                     "koper_rechtspersoon", "hypotheek", "onverklaarbaar", "synthetisch"],
                    [["T1", "O1", BUURT, "2024-03-01", "350000", "K1", "nee", "ja", "nee", "nee"]])
    assert counts(preview(write_csv(tmp_path / "one.csv", header, rows))) == {
        "added": 0, "changed": 0, "unchanged": 1, "removed": 1,
    }


def test_preview_of_kvk_records_counts_a_deregistration_as_a_change(tmp_path, django_capture_on_commit_callbacks):
    run = import_and_confirm(write_extract(tmp_path, "kvk_vestigingen"), django_capture_on_commit_callbacks)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error

    assert counts(preview(write_extract(tmp_path, "kvk_vestigingen", name="same.csv")))["unchanged"] == 2
    closed = write_extract(tmp_path, "kvk_vestigingen", name="closed.csv",
                           changes={(1, "datum_uitschrijving"): "2024-12-01"})
    assert counts(preview(closed)) == {"added": 0, "changed": 1, "unchanged": 1, "removed": 0}


def test_an_already_imported_file_is_recognised(tmp_path, django_capture_on_commit_callbacks, admin_user):
    path = write_crime(tmp_path / "misdrijven.csv", CRIME)
    first = import_and_confirm(path, django_capture_on_commit_callbacks, user=admin_user)

    again = preview(path)

    earlier = again.summary["files"][0]["already_imported"]
    assert earlier["run"] == first.pk
    assert earlier["by"] == admin_user.get_username()
    assert any("imported before" in line and f"run #{first.pk}" in line for line in selectors.preview_lines(again))


def test_a_previewed_but_not_imported_file_is_not_already_imported(tmp_path):
    path = write_crime(tmp_path / "misdrijven.csv", CRIME)
    preview(path)

    assert preview(path).summary["files"][0]["already_imported"] is None


def test_a_rejected_run_stores_every_problem_sorted_by_file_and_row(tmp_path):
    # Errors come out of a kind column by column; the stored list is by file, then row.
    b_rows = [("GM0308", "gemeente", 2024, -1), ("GM0308", "gemeente", 2024, 5), (UNKNOWN_BUURT, "buurt", 2024, 1)]
    a_rows = [("GM0308", "gemeente", 2024, "x"), ("WK030800", "buurt", 2024, 1)]
    b = write_crime(tmp_path / "b.csv", b_rows)
    a = write_crime(tmp_path / "a.csv", a_rows)
    before = staged_state()

    run = services.prepare_run([(b, b.name), (a, a.name)])

    assert run.status == ImportRun.Status.REJECTED
    problems = list(selectors.problem_list(run).values_list("file_name", "row", "column"))
    assert problems == [
        ("a.csv", 1, "geregistreerde_misdrijven_totaal"),
        ("a.csv", 2, "regiocode"),
        ("b.csv", 1, "geregistreerde_misdrijven_totaal"),
        ("b.csv", 2, "regiocode"),  # GM0308 twice in 2024
        ("b.csv", 3, "regiocode"),
    ]
    assert run.error_count == 5 == ImportProblem.objects.filter(run=run).count()
    assert [entry["errors"] for entry in run.summary["files"]] == [3, 2]
    assert "added" not in run.summary["files"][0]  # no change counts for a refused file
    assert staged_state() == before


def test_rejection_and_preview_never_change_the_staged_data(tmp_path, django_capture_on_commit_callbacks):
    import_and_confirm(write_crime(tmp_path / "v1.csv", CRIME), django_capture_on_commit_callbacks)
    import_and_confirm(write_extract(tmp_path, "fiu_meldingen"), django_capture_on_commit_callbacks)
    before = staged_state()

    preview(write_crime(tmp_path / "other.csv", [("GM0308", "gemeente", 2024, 1)]))
    preview(write_crime(tmp_path / "bad.csv", [("GM0308", "gemeente", 2024, -1)]))
    preview(write_extract(tmp_path, "fiu_meldingen", name="other-fiu.csv", rows=[]))
    preview(write_extract(tmp_path, "fiu_meldingen", name="bad-fiu.csv", changes={(1, "bedrag"): "veel"}))

    assert staged_state() == before


def test_a_header_only_file_is_refused_and_removes_nothing(tmp_path, django_capture_on_commit_callbacks):
    import_and_confirm(write_crime(tmp_path / "v1.csv", CRIME), django_capture_on_commit_callbacks)
    before = staged_state()

    run = preview(write_crime(tmp_path / "leeg.csv", []))

    assert run.status == ImportRun.Status.REJECTED
    assert [p.message for p in run.problems.all()] == ["the file holds a header but no data rows"]
    assert staged_state() == before


def test_files_are_kept_privately_by_checksum(tmp_path, settings, private_storage):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STATIC_ROOT = str(tmp_path / "static")
    path = write_crime(tmp_path / "misdrijven.csv", CRIME)

    run = preview(path)

    source = SourceFile.objects.get()
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / source.stored_path
    assert stored == private_storage / source.sha256[:2] / f"{source.sha256}.csv"
    assert stored.read_bytes() == path.read_bytes()
    assert (source.original_name, source.size_bytes) == ("misdrijven.csv", path.stat().st_size)
    assert list(run.files.all()) == [source]
    # Nowhere a URL could reach.
    assert not (tmp_path / "media").exists() and not (tmp_path / "static").exists()
    for public in (django_settings.BASE_DIR / "static", Path(django_settings.STATIC_ROOT)):
        assert not stored.is_relative_to(public)
    assert not list((django_settings.BASE_DIR / "static").rglob(f"{source.sha256}*"))


def test_the_same_bytes_twice_are_one_source_file(tmp_path, private_storage):
    path = write_crime(tmp_path / "misdrijven.csv", CRIME)
    copy = tmp_path / "kopie.csv"
    copy.write_bytes(path.read_bytes())

    first = preview(path)
    second = preview(copy)
    both = services.prepare_run([(path, path.name), (copy, copy.name)])

    assert SourceFile.objects.count() == 1
    assert len(list(private_storage.rglob("*.csv"))) == 1
    assert RunFile.objects.filter(source_file=SourceFile.objects.get()).count() == 4
    assert first.files.get() == second.files.get()
    assert both.runfile_set.count() == 2


def test_a_file_over_the_limit_is_a_rejected_run(tmp_path, settings):
    settings.SOURCE_MAX_UPLOAD_BYTES = 50
    run = preview(real(BAARN_CRIME))

    assert run.status == ImportRun.Status.REJECTED
    problem = run.problems.get()
    assert (problem.file_name, problem.row, problem.column) == ("geregistreerde_misdrijven_2021_2025.csv", None, "")
    assert "the limit is 50" in problem.message


def test_files_of_different_kinds_make_one_run(tmp_path, django_capture_on_commit_callbacks):
    crime = write_crime(tmp_path / "misdrijven.csv", CRIME)
    extract = write_extract(tmp_path, "fiu_meldingen")

    run = services.prepare_run([(crime, crime.name), (extract, extract.name)])

    assert run.status == ImportRun.Status.PREVIEW
    assert run.kind == "fiu_meldingen,politie_misdrijven"
    assert [entry["kind"] for entry in run.summary["files"]] == ["politie_misdrijven", "fiu_meldingen"]
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert (Observation.objects.count(), Record.objects.count()) == (4, 2)


def test_a_file_no_kind_recognises_rejects_the_run(tmp_path):
    crime = write_crime(tmp_path / "misdrijven.csv", CRIME)
    other = write_csv(tmp_path / "iets.csv", ["a", "b"], [["1", "2"]])

    run = services.prepare_run([(crime, crime.name), (other, other.name)])

    assert run.status == ImportRun.Status.REJECTED
    problem = run.problems.get()
    assert (problem.file_name, problem.row) == ("iets.csv", None)
    assert "choose the kind" in problem.message


def test_an_unknown_kind_is_a_value_error_naming_the_known_ones(tmp_path):
    with pytest.raises(ValueError, match="politie_misdrijven"):
        preview(write_crime(tmp_path / "m.csv", CRIME), kind="misdaad")
    assert not ImportRun.objects.exists()


def test_a_chosen_kind_reads_the_file_as_that_kind(tmp_path):
    run = preview(write_crime(tmp_path / "m.csv", CRIME), kind="fiu_meldingen")

    assert (run.status, run.kind) == (ImportRun.Status.REJECTED, "fiu_meldingen")
    assert {p.message for p in run.problems.all()} >= {"column missing", "unexpected column"}


def test_the_year_given_for_a_file_without_one_is_used_by_the_import(tmp_path, django_capture_on_commit_callbacks):
    path = write_csv(tmp_path / "kerncijfers_baarn.csv", ["regiocode", "niveau", "AantalInwoners_5"],
                     [["GM0308", "gemeente", "25065"]])
    assert preview(path).status == ImportRun.Status.REJECTED

    run = import_and_confirm(path, django_capture_on_commit_callbacks, year=2024)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert list(Observation.objects.values_list("variable", "year", "value")) == [("inwoners", 2024, 25065)]


def test_the_upload_is_in_the_audit_log(tmp_path, admin_user):
    run = preview(write_crime(tmp_path / "m.csv", CRIME), user=admin_user)

    event = AuditEvent.objects.get(action="upload")
    assert event.actor == admin_user
    assert event.subject == f"run #{run.pk} politie_misdrijven"
    assert event.details == {"files": ["m.csv"], "errors": 0}
