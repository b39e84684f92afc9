"""Confirming a run: import → recalculate → disclosure control → release (Celery eager in tests)."""

import pytest

from apps.core.models import AuditEvent
from apps.releases import services as releases
from apps.releases.models import PublishedValue, Release
from apps.sources import pipeline, selectors, services
from apps.sources.models import ImportRun, Observation, Record
from tests.sources.helpers import (
    BAARN_CRIME,
    NATIONAL_CRIME,
    extract_rows,
    import_and_confirm,
    preview,
    real,
    write_crime,
    write_csv,
    write_extract,
)

pytestmark = pytest.mark.usefixtures("geo")

ZERO_CHANGES = {"added": 0, "changed": 0, "removed": 0, "newly_suppressed": 0, "no_longer_suppressed": 0}


def test_the_national_crime_file_ends_in_a_release_and_again_changes_nothing(
    django_capture_on_commit_callbacks, admin_user
):
    path = real(NATIONAL_CRIME)

    run = import_and_confirm(path, django_capture_on_commit_callbacks, user=admin_user)

    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert (run.step, run.error, run.rows_total, run.rows_done) == ("done", "", 71_875, 71_875)
    assert run.started_at and run.finished_at and run.confirmed_at
    release = run.release
    assert release is not None and release.number == 1
    assert release.cell_count == PublishedValue.objects.filter(release=release).count() > 0
    crime = PublishedValue.objects.filter(release=release, indicator="geregistreerde_misdrijven")
    assert crime.filter(derived=False).count() == 71_875
    # Seven provincies whose gemeenten all have a figure get their sum, each year; Nederland none:
    # the file lacks five gemeenten (Vlieland, Alkmaar, Tilburg, Heerlen, Westland).
    assert crime.filter(derived=True, area_code__startswith="PV").count() == 7 * 5
    assert not crime.filter(area_code="NL00").exists()
    assert crime.get(area_code="GM0308", year=2021).value == 862
    assert release.changes["added"] == release.cell_count and release.changes["against"] is None
    assert not release.is_current  # RELEASES_AUTO_PUBLISH is off: a steward publishes
    assert {source["file"] for source in release.sources} == {path.name}

    again = import_and_confirm(path, django_capture_on_commit_callbacks, user=admin_user)

    assert again.status == ImportRun.Status.SUCCEEDED, again.error
    assert again.summary["files"][0]["already_imported"]["run"] == run.pk
    assert again.release.number == 2
    assert {key: again.release.changes[key] for key in ZERO_CHANGES} == ZERO_CHANGES
    assert again.release.changes["against"] == 1
    assert Observation.objects.count() == 71_875


def test_an_extract_replaces_the_records_of_its_years(tmp_path, django_capture_on_commit_callbacks):
    older = write_extract(tmp_path, "kadaster_transacties", name="2023.csv",
                          changes={(1, "transactie_id"): "T0", (1, "datum"): "2023-06-01", (2, "transactie_id"): "T00",
                                   (2, "datum"): "2023-07-01"})
    import_and_confirm(older, django_capture_on_commit_callbacks)
    first = import_and_confirm(write_extract(tmp_path, "kadaster_transacties"), django_capture_on_commit_callbacks)
    assert first.status == ImportRun.Status.SUCCEEDED, first.error
    assert sorted(Record.objects.values_list("record_id", "year")) == [
        ("T0", 2023), ("T00", 2023), ("T1", 2024), ("T2", 2024),
    ]

    # A new complete 2024 extract without T2 and with T1 changed: 2023 is left alone.
    header, rows = extract_rows("kadaster_transacties")
    rows = [rows[0]]
    rows[0][header.index("onverklaarbaar")] = "ja"
    second = import_and_confirm(write_csv(tmp_path / "2024-v2.csv", header, rows), django_capture_on_commit_callbacks)

    assert second.status == ImportRun.Status.SUCCEEDED, second.error
    assert sorted(Record.objects.values_list("record_id", "year")) == [("T0", 2023), ("T00", 2023), ("T1", 2024)]
    assert Record.objects.get(record_id="T1").flags["onverklaarbaar"] is True
    assert Record.objects.get(record_id="T1").source_file.original_name == "2024-v2.csv"


def test_a_run_publishes_at_once_when_auto_publish_is_on(settings, django_capture_on_commit_callbacks, admin_user):
    settings.RELEASES_AUTO_PUBLISH = True

    run = import_and_confirm(real(BAARN_CRIME), django_capture_on_commit_callbacks, user=admin_user)

    release = Release.objects.get()
    assert run.release == release
    assert (release.is_current, release.status, release.published_by) == (True, "published", admin_user)


def _publish_a_first_release(capture) -> Release:
    run = import_and_confirm(real(BAARN_CRIME), capture)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return releases.publish(run.release)


def _published_state():
    return sorted(
        PublishedValue.objects.values_list("release__number", "indicator", "area_code", "year", "value", "status")
    )


def test_a_failing_step_fails_the_run_and_keeps_the_current_release(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    current = _publish_a_first_release(django_capture_on_commit_callbacks)
    published = _published_state()

    def broken(definitions):
        raise RuntimeError("the engine broke down")

    monkeypatch.setattr("apps.indicators.services.recalculate", broken)
    run = import_and_confirm(
        write_crime(tmp_path / "misdrijven.csv", [("GM0308", "gemeente", 2024, 1)]), django_capture_on_commit_callbacks
    )

    assert run.status == ImportRun.Status.FAILED
    assert run.step == ImportRun.Step.RECALCULATE
    assert run.error.startswith("recalculate: the engine broke down")
    assert run.release is None and run.finished_at is not None
    assert list(Release.objects.values_list("number", "is_current")) == [(current.number, True)]
    assert _published_state() == published
    event = AuditEvent.objects.get(action="run_failed")
    assert event.subject == f"run #{run.pk} politie_misdrijven"
    assert "the engine broke down" in event.details["reason"]
    progress = selectors.progress(run)
    assert (progress["status"], progress["step"], progress["finished"], progress["release"]) == (
        "failed", "recalculate", True, None,
    )


def test_a_release_that_fails_half_way_leaves_no_partial_release(
    tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    current = _publish_a_first_release(django_capture_on_commit_callbacks)
    published = _published_state()

    def broken(new, old):
        raise RuntimeError("cannot compare")

    # build_release has created the release and copied its values when compare() fails.
    monkeypatch.setattr("apps.releases.services.compare", broken)
    run = import_and_confirm(
        write_crime(tmp_path / "misdrijven.csv", [("GM0308", "gemeente", 2024, 1)]), django_capture_on_commit_callbacks
    )

    assert (run.status, run.step) == (ImportRun.Status.FAILED, ImportRun.Step.RELEASE)
    assert "cannot compare" in run.error
    assert list(Release.objects.values_list("number", "is_current")) == [(current.number, True)]
    assert _published_state() == published


def test_a_file_that_vanished_before_the_import_fails_the_run_with_its_reason(
    tmp_path, django_capture_on_commit_callbacks, private_storage
):
    run = preview(write_crime(tmp_path / "misdrijven.csv", [("GM0308", "gemeente", 2024, 1)]))
    for stored in private_storage.rglob("*.csv"):
        stored.unlink()

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run)
    run.refresh_from_db()

    assert (run.status, run.step) == (ImportRun.Status.FAILED, ImportRun.Step.IMPORT)
    assert run.error.startswith("import:")
    assert not Observation.objects.exists() and not Release.objects.exists()


def test_steps_of_a_finished_run_do_nothing_when_delivered_again(django_capture_on_commit_callbacks):
    run = import_and_confirm(real(BAARN_CRIME), django_capture_on_commit_callbacks)

    for step in pipeline.STEPS:
        assert step(run.pk) is False
    assert Release.objects.count() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED


def test_cancel_a_preview(tmp_path, admin_user, django_capture_on_commit_callbacks):
    run = preview(write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2024, 1)]))

    services.cancel_run(run, user=admin_user)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED
    assert AuditEvent.objects.filter(action="cancel", actor=admin_user).exists()
    with pytest.raises(ValueError, match="only a preview can be confirmed"):
        services.confirm_run(run)
    assert not Observation.objects.exists() and not Release.objects.exists()


def test_a_finished_run_cannot_be_cancelled(django_capture_on_commit_callbacks):
    run = import_and_confirm(real(BAARN_CRIME), django_capture_on_commit_callbacks)

    with pytest.raises(ValueError, match="can no longer be cancelled"):
        services.cancel_run(run)


def test_confirm_on_a_rejected_run_raises(tmp_path, django_capture_on_commit_callbacks):
    run = preview(write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2024, -1)]))
    assert run.status == ImportRun.Status.REJECTED

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValueError, match="only a preview can be confirmed"):
            services.confirm_run(run)

    assert callbacks == []
    run.refresh_from_db()
    assert run.status == ImportRun.Status.REJECTED
    assert not AuditEvent.objects.filter(action="confirm").exists()


def test_a_run_is_confirmed_once(tmp_path, django_capture_on_commit_callbacks):
    run = import_and_confirm(write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2024, 1)]),
                             django_capture_on_commit_callbacks)

    with pytest.raises(ValueError):
        services.confirm_run(run)
    assert Release.objects.count() == 1


def test_confirm_queues_the_pipeline_only_on_commit(tmp_path, django_capture_on_commit_callbacks, admin_user):
    run = preview(write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2024, 1)]))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.confirm_run(run, user=admin_user)

    run.refresh_from_db()
    assert (run.status, run.confirmed_by) == (ImportRun.Status.QUEUED, admin_user)
    assert len(callbacks) == 1 and not Observation.objects.exists()
    assert selectors.progress(run)["finished"] is False
    callbacks[0]()
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED


def test_a_record_that_moved_to_another_year_is_replaced_not_duplicated(tmp_path, django_capture_on_commit_callbacks):
    """A corrected date moves a record to another year; the new extract still stages cleanly."""
    from apps.sources.models import ImportRun, Record

    first = tmp_path / "registraties_2023.csv"
    first.write_text(
        "registratie_id,buurtcode,datum,soort,synthetisch\n"
        "R1,BU03080000,2023-12-30,hennepkwekerij,ja\n"
    )
    second = tmp_path / "registraties_2024.csv"
    second.write_text(
        "registratie_id,buurtcode,datum,soort,synthetisch\n"
        "R1,BU03080000,2024-01-02,hennepkwekerij,ja\n"
    )
    for path in (first, second):
        run = services.prepare_run([(path, path.name)])
        with django_capture_on_commit_callbacks(execute=True):
            services.confirm_run(run)
        run.refresh_from_db()
        assert run.status == ImportRun.Status.SUCCEEDED, run.error

    assert list(Record.objects.filter(kind="gemeentelijke_registraties").values_list("record_id", "year")) == [("R1", 2024)]


def test_in_process_a_lost_connection_fails_the_run_with_its_reason(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """Without a worker there is nobody to retry: the run says what happened."""
    from django.db import OperationalError

    from apps.indicators import services as indicators
    from apps.sources.models import ImportRun

    def down(definitions):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(indicators, "recalculate", down)
    path = tmp_path / "misdrijven.csv"
    path.write_text("regiocode,niveau,jaar,geregistreerde_misdrijven_totaal\nGM0308,gemeente,2024,1200\n")
    run = services.prepare_run([(path, path.name)])
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_run(run)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "recalculate: could not connect to server"
