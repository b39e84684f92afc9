"""Small hand-written source files for the import tests, and shortcuts to run them.

Every file here is tiny and uses real 2024 codes of Baarn (GM0308), so tests that check codes
against the indeling need the session's ``geo`` fixture.
"""

import csv
import io
from pathlib import Path

from apps.core.problems import FileRejected
from apps.sources import kinds, services
from apps.sources.kinds import Parsed
from apps.sources.models import ImportRun
from apps.sources.tabular import read_table
from tests.factories import data_file

BAARN_CRIME = "fixtures/baarn/geregistreerde_misdrijven_2021_2025.csv"  # 110 rows
BAARN_KWB = "fixtures/baarn/kwb_2024_gebieden.csv"  # 27 rows, layout cbs-85984
BAARN_PDOK = "cbs/kwb_2024_buurten_baarn_pdok.csv"  # 21 rows, layout pdok-snake
NATIONAL_CRIME = "politie/geregistreerde_misdrijven_2021_2025.csv"  # 71,875 rows

BUURT = "BU03080000"
BUURT_2 = "BU03080001"
WIJK = "WK030800"
UNKNOWN_BUURT = "BU03089999"  # fits the format, not in the 2024 indeling

CRIME_HEADER = ["regiocode", "niveau", "jaar", "geregistreerde_misdrijven_totaal"]

# One valid two-row file per record-level extract kind, as docs/extracts.md describes them.
EXTRACTS: dict[str, tuple[list[str], list[list[str]]]] = {
    "kadaster_transacties": (
        ["transactie_id", "object_id", "buurtcode", "datum", "koopsom", "koper_id",
         "koper_rechtspersoon", "hypotheek", "onverklaarbaar", "synthetisch"],
        [
            ["T1", "O1", BUURT, "2024-03-01", "350000", "K1", "nee", "ja", "nee", "nee"],
            ["T2", "O2", BUURT_2, "2024-05-12", "412500.50", "K2", "ja", "nee", "ja", "nee"],
        ],
    ),
    "kvk_vestigingen": (
        ["vestiging_id", "onderneming_id", "buurtcode", "sbi_code", "datum_inschrijving",
         "datum_uitschrijving", "woonadres", "bestuurder_veroordeeld", "synthetisch"],
        [
            ["V1", "C1", BUURT, "4711", "2024-01-15", "", "nee", "nee", "nee"],
            ["V2", "C1", BUURT_2, "56101", "2024-02-01", "2024-10-01", "ja", "ja", "nee"],
        ],
    ),
    "fiu_meldingen": (
        ["melding_id", "buurtcode", "datum", "bedrag", "soort", "sbi_code", "synthetisch"],
        [
            ["M1", BUURT, "2024-01-02", "9500", "contant", "", "nee"],
            ["M2", BUURT_2, "2024-06-30", "12000.75", "geldtransfer", "4711", "nee"],
        ],
    ),
    "om_veroordelingen": (
        ["veroordeling_id", "persoon_id", "buurtcode", "datum", "delict", "geboortejaar", "synthetisch"],
        [
            ["R1", "P1", BUURT, "2024-04-04", "opiumwet", "2005", "nee"],
            ["R2", "P2", BUURT_2, "2024-11-11", "witwassen", "1980", "nee"],
        ],
    ),
    "gemeentelijke_registraties": (
        ["registratie_id", "buurtcode", "datum", "soort", "synthetisch"],
        [
            ["G1", BUURT, "2024-02-02", "hennepkwekerij", "nee"],
            ["G2", BUURT_2, "2024-03-03", "sluiting_13b", "nee"],
        ],
    ),
}


def csv_text(header: list[str], rows: list[list], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list], *, delimiter: str = ",",
              encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(header, rows, delimiter).encode(encoding))
    return path


def extract_rows(kind: str) -> tuple[list[str], list[list[str]]]:
    """A fresh copy of the valid example of an extract kind: (header, rows)."""
    header, rows = EXTRACTS[kind]
    return list(header), [list(row) for row in rows]


def write_extract(folder: Path, kind: str, *, name: str | None = None, changes: dict | None = None,
                  header: list[str] | None = None, rows: list[list[str]] | None = None) -> Path:
    """The valid example of ``kind``, with ``changes`` {(row, column): value} applied (row 1 =
    first data row)."""
    base_header, base_rows = extract_rows(kind)
    header = header or base_header
    rows = rows if rows is not None else base_rows
    for (row, column), value in (changes or {}).items():
        rows[row - 1][header.index(column)] = value
    return write_csv(folder / (name or f"{kind}.csv"), header, rows)


def crime_rows(*rows: tuple) -> list[list[str]]:
    return [[str(cell) for cell in row] for row in rows]


def write_crime(path: Path, rows: list[tuple], *, header: list[str] | None = None) -> Path:
    return write_csv(path, header or CRIME_HEADER, crime_rows(*rows))


def parse(path: Path, kind: str | None = None, **options) -> Parsed:
    """Read a file and parse it with its kind (given or detected), like the preview does."""
    table = read_table(path)
    source_kind = kinds.get_kind(kind) if kind else kinds.detect_kind(table)
    return source_kind.parse(table, **options)


def rejection(path: Path, **options):
    """The RowErrors of a file that read_table refuses."""
    try:
        read_table(path, **options)
    except FileRejected as exc:
        return exc.errors
    raise AssertionError(f"{path.name} was not refused")


def where(errors) -> list[tuple]:
    """(file, row, column) of each error, for exact comparisons."""
    return [(error.file, error.row, error.field) for error in errors]


def preview(path: Path, **options) -> ImportRun:
    return services.prepare_run([(Path(path), Path(path).name)], **options)


def import_and_confirm(path: Path, capture, **options) -> ImportRun:
    """Preview a file, confirm it and let the (eager) pipeline run; the run, refreshed.

    ``capture`` is pytest-django's django_capture_on_commit_callbacks: the pipeline starts on
    commit, which a test's own transaction never reaches.
    """
    run = preview(path, **options)
    assert run.status == ImportRun.Status.PREVIEW, list(run.problems.values_list("message", flat=True)[:5])
    with capture(execute=True):
        services.confirm_run(run, user=options.get("user"))
    run.refresh_from_db()
    return run


def real(relative: str) -> Path:
    return data_file(relative)
