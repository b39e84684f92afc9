"""manage.py import_source: the steward's upload from the command line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.releases.models import Release
from apps.sources import kinds
from apps.sources.models import ImportRun, Observation, Record
from tests.sources.helpers import BAARN_CRIME, real, write_crime, write_csv, write_extract

pytestmark = pytest.mark.usefixtures("geo")


def run_command(*args, **options) -> str:
    out = StringIO()
    call_command("import_source", *[str(a) for a in args], stdout=out, **options)
    return out.getvalue()


def nothing_staged() -> bool:
    return not Observation.objects.exists() and not Record.objects.exists() and not Release.objects.exists()


def test_list_names_every_kind():
    lines = run_command("--list").splitlines()

    slugs = [line.split()[0] for line in lines]
    assert slugs == [kind.slug for kind in kinds.all_kinds()]
    assert {"cbs_kwb", "politie_misdrijven", "grenzen", "kadaster_transacties", "kvk_vestigingen",
            "fiu_meldingen", "om_veroordelingen", "gemeentelijke_registraties"} <= set(slugs)
    assert any("records" in line and "kvk_vestigingen" in line for line in lines)


def test_dry_run_previews_and_changes_nothing():
    output = run_command("--dry-run", real(BAARN_CRIME))

    assert "110 rows" in output and "would add 110" in output
    assert "dry run: nothing changed" in output
    assert nothing_staged()
    assert ImportRun.objects.get().status == ImportRun.Status.CANCELLED


def test_dry_run_of_an_extract_changes_nothing(tmp_path):
    output = run_command("--dry-run", write_extract(tmp_path, "om_veroordelingen"))

    assert "would add 2" in output
    assert nothing_staged()


def test_a_bad_file_is_refused_with_its_row_errors(tmp_path):
    path = write_crime(tmp_path / "misdrijven.csv", [("GM0308", "gemeente", 2024, -1), ("WK030800", "buurt", 2024, 5)])

    with pytest.raises(CommandError) as info:
        run_command(path)

    message = str(info.value)
    assert "refused, nothing changed" in message
    assert "misdrijven.csv, row 1, field 'geregistreerde_misdrijven_totaal': a count cannot be negative" in message
    assert "misdrijven.csv, row 2, field 'regiocode': code 'WK030800' does not fit level 'buurt'" in message
    assert nothing_staged()
    assert ImportRun.objects.get().status == ImportRun.Status.REJECTED


def test_a_file_with_many_errors_lists_fifty_and_counts_the_rest(tmp_path):
    rows = [("GM0308", "gemeente", year, -1) for year in range(1991, 2051)]  # 60 errors

    with pytest.raises(CommandError) as info:
        run_command(write_crime(tmp_path / "m.csv", rows))

    assert str(info.value).count("a count cannot be negative") == 50
    assert "... and 10 more" in str(info.value)


def test_import_without_dry_run_builds_a_release(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run_command(real(BAARN_CRIME))

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Observation.objects.count() == 110 and Release.objects.count() == 1


def test_import_reports_the_release_when_the_pipeline_has_run(django_capture_on_commit_callbacks, monkeypatch):
    # Outside a test's transaction the pipeline runs at confirm; here it has to be run inline.
    from apps.sources import services

    real_confirm = services.confirm_run

    def confirm_and_run(run, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            return real_confirm(run, user=user)

    monkeypatch.setattr(services, "confirm_run", confirm_and_run)

    output = run_command(real(BAARN_CRIME))

    assert "done: release 1 ready" in output
    assert not Release.objects.get().is_current


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "name one or more files"),
        (["/nonexistent/misdrijven.csv"], "no such file"),
    ],
)
def test_command_line_mistakes(args, message):
    with pytest.raises(CommandError, match=message):
        run_command(*args)


def test_an_unknown_kind_is_a_command_error(tmp_path):
    path = write_crime(tmp_path / "m.csv", [("GM0308", "gemeente", 2024, 1)])

    with pytest.raises(CommandError, match="unknown kind 'misdaad'"):
        run_command(path, "--kind", "misdaad")
    assert nothing_staged()


def test_the_year_option_reaches_the_parser(tmp_path):
    header = ["regiocode", "niveau", "AantalInwoners_5"]
    path = write_csv(tmp_path / "kerncijfers.csv", header, [["GM0308", "gemeente", "1"]])
    with pytest.raises(CommandError, match="give the year"):
        run_command("--dry-run", path)

    assert "years 2024" in run_command("--dry-run", "--year", "2024", path)
