"""Writes of the sources app: keep uploads, preview them, confirm or cancel, stage the data.

The preview (dry run) and the import read a file through the same kind parser; the preview
writes nothing but the run, its summary and its problems. Staging replaces the data of the
datasets and years a file holds, so importing the same file twice changes nothing.
"""

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.bulk import insert_frame
from apps.core.problems import FileRejected, RowError
from apps.core.services import record_event
from apps.geography import services as geography_services
from apps.geography.levels import Level

from . import kinds as kind_registry
from .kinds import Parsed, Shape
from .models import ImportProblem, ImportRun, Observation, Record, RunFile, SourceFile
from .tabular import read_table

logger = logging.getLogger(__name__)

MAX_STORED_PROBLEMS = 50_000


class BoundaryPreviewOnly(Exception):
    """Raised inside a transaction to undo a boundary import that was only a preview."""


# ------------------------------------------------------------------ raw files


def store_file(path: Path, *, name: str, user=None) -> SourceFile:
    """Keep the raw file privately under its checksum; a file seen before is the same row."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    existing = SourceFile.objects.filter(sha256=sha).first()
    if existing:
        return existing
    relative = Path(sha[:2]) / f"{sha}{Path(name).suffix.lower()}"
    target = settings.PRIVATE_STORAGE_ROOT / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return SourceFile.objects.create(
        sha256=sha,
        original_name=Path(name).name[:255],
        size_bytes=target.stat().st_size,
        stored_path=str(relative),
        uploaded_by=user,
    )


def stored_path(source_file: SourceFile) -> Path:
    return settings.PRIVATE_STORAGE_ROOT / source_file.stored_path


# ------------------------------------------------------------------ parsing


@dataclass
class FileReading:
    parsed: Parsed
    kind: kind_registry.SourceKind


def read_source_file(source_file: SourceFile, *, kind_slug: str = "", vintage=None, year=None) -> FileReading:
    """Parse a stored file with its kind (given or detected). Never writes."""
    path = stored_path(source_file)
    name = source_file.original_name
    if kind_slug == "grenzen" or (not kind_slug and kind_registry.is_spatial(Path(name))):
        kind = kind_registry.get_kind("grenzen")
        return FileReading(_preview_boundaries(path, name, vintage), kind)
    try:
        table = read_table(path, name=name, max_bytes=settings.SOURCE_MAX_UPLOAD_BYTES)
        kind = kind_registry.get_kind(kind_slug) if kind_slug else kind_registry.detect_kind(table)
    except FileRejected as exc:
        kind = kind_registry.get_kind(kind_slug) if kind_slug else None
        parsed = Parsed(name, kind.slug if kind else "", kind.shape if kind else "", errors=exc.errors)
        return FileReading(parsed, kind)
    return FileReading(kind.parse(table, year=year, vintage=vintage), kind)


def _boundary_level(path: Path) -> Level:
    from apps.geography.readers import read_features

    features = read_features(path).features
    properties = features[0].properties if features else {}
    for level in (Level.BUURT, Level.WIJK, Level.GEMEENTE, Level.PROVINCIE):
        if f"{level.value}code" in properties:
            return level
    raise FileRejected([RowError(path.name, None, "", "no buurtcode, wijkcode or gemeentecode property")])


def _preview_boundaries(path: Path, name: str, vintage) -> Parsed:
    """Run the geography import inside a transaction that is always undone: a true dry run."""
    parsed = Parsed(name, "grenzen", Shape.BOUNDARIES, vintage=vintage or settings.GEO_DEFAULT_VINTAGE)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / name
        shutil.copyfile(path, copy)
        try:
            level = _boundary_level(copy)
            with transaction.atomic():
                report = geography_services.import_boundaries(copy, level=level, vintage=parsed.vintage)
                raise BoundaryPreviewOnly
        except FileRejected as exc:
            parsed.errors = exc.errors
            return parsed
        except BoundaryPreviewOnly:
            pass
    parsed.layout = level.value
    parsed.rows_read = report.created + report.updated
    parsed.warnings = [f"repaired {item['code']}: {item['reason']}" for item in report.repaired]
    parsed.frame = pd.DataFrame({"created": [report.created], "updated": [report.updated]})
    return parsed


# ------------------------------------------------------------------ preview


def _existing_observations(parsed: Parsed) -> pd.DataFrame:
    rows = Observation.objects.filter(dataset=parsed.dataset, year__in=parsed.years).values_list(
        "variable", "area_code", "year", "value", "status"
    )
    return pd.DataFrame(list(rows), columns=["variable", "area_code", "year", "value", "status"])


RECORD_FIELDS = ["record_id", "buurt_code", "date", "end_date", "amount", "category", "sbi_code",
                 "subject_id", "object_id", "flags", "synthetic"]


def _existing_records(parsed: Parsed) -> pd.DataFrame:
    rows = Record.objects.filter(kind=parsed.kind, year__in=parsed.years).values_list(*RECORD_FIELDS)
    frame = pd.DataFrame(list(rows), columns=RECORD_FIELDS)
    for column in ("date", "end_date"):
        frame[column] = frame[column].map(lambda day: day.isoformat() if day else "")
    return frame


def compare_with_staged(parsed: Parsed) -> dict:
    """Rows that would be added, changed, left unchanged or removed by importing this file."""
    if parsed.shape == Shape.BOUNDARIES:
        return {"added": int(parsed.frame["created"][0]), "changed": int(parsed.frame["updated"][0]),
                "unchanged": 0, "removed": 0}
    new = parsed.frame
    if parsed.shape == Shape.OBSERVATIONS:
        old = _existing_observations(parsed)
        new = new.assign(year=new["year"].astype(int))
        merged = new.merge(old, on=["variable", "area_code", "year"], how="left", suffixes=("", "_old"), indicator=True)
        same = ((merged["value"] == merged["value_old"]) | (merged["value"].isna() & merged["value_old"].isna())) & (
            merged["status"] == merged["status_old"]
        )
        per_row = merged.assign(new_cell=merged["_merge"] == "left_only", differs=~same).groupby("row")
        added_rows = per_row["new_cell"].all()
        changed_rows = per_row["differs"].any() & ~added_rows
        staged_rows = old[["area_code", "year"]].drop_duplicates()
        file_rows = new[["area_code", "year"]].drop_duplicates()
        removed = len(staged_rows.merge(file_rows, how="left", indicator=True).query("_merge == 'left_only'"))
    else:
        old = _existing_records(parsed)
        # Every field the import writes: a changed flag or end date is a change too.
        keys = [field for field in RECORD_FIELDS if field != "record_id"]
        merged = new.merge(old, on="record_id", how="left", suffixes=("", "_old"), indicator=True)
        added = merged["_merge"] == "left_only"
        differs = pd.Series(False, index=merged.index)
        for key in keys:
            a, b = merged[key].fillna(""), merged[f"{key}_old"].fillna("")
            if key == "amount":
                a, b = merged[key], merged[f"{key}_old"]
                differs |= ~((a == b) | (a.isna() & b.isna()))
            elif key in ("flags", "synthetic"):
                differs |= pd.Series([x != y for x, y in zip(merged[key], merged[f"{key}_old"])], index=merged.index)
            else:
                differs |= a.astype(str) != b.astype(str)
        added_rows = added
        changed_rows = differs & ~added
        removed = int((~old["record_id"].isin(new["record_id"])).sum())
    return {
        "added": int(added_rows.sum()),
        "changed": int(changed_rows.sum()),
        "unchanged": int(len(added_rows) - added_rows.sum() - changed_rows.sum()),
        "removed": int(removed),
    }


def years_label(years: list[int]) -> str:
    """'2024', '2021, 2023' or '1952–2024' for a long unbroken run of years."""
    if len(years) > 3 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(year) for year in years)


def _earlier_import(source_file: SourceFile) -> dict | None:
    earlier = (
        RunFile.objects.filter(source_file=source_file, run__status=ImportRun.Status.SUCCEEDED)
        .select_related("run", "run__created_by")
        .order_by("-run__finished_at")
        .first()
    )
    if earlier is None:
        return None
    run = earlier.run
    return {
        "run": run.pk,
        "at": run.finished_at.isoformat() if run.finished_at else "",
        "by": run.created_by.get_username() if run.created_by else "command line",
    }


def prepare_run(files: list[tuple[Path, str]], *, kind: str = "", vintage=None, year=None, user=None) -> ImportRun:
    """Keep the files, read them and record the preview: rows, changes and every error."""
    if kind:
        kind_registry.get_kind(kind)  # unknown kind: ValueError naming the known ones
    run = ImportRun.objects.create(kind=kind, vintage=vintage, year=year, created_by=user)
    summary_files, problems, kinds_seen, total = [], [], set(), 0
    for position, (path, name) in enumerate(files):
        source_file = store_file(path, name=name, user=user)
        RunFile.objects.create(run=run, source_file=source_file, position=position)
        reading = read_source_file(source_file, kind_slug=kind, vintage=vintage, year=year)
        parsed = reading.parsed
        if not parsed.errors and parsed.rows_read == 0 and parsed.shape != Shape.BOUNDARIES:
            # An empty extract would replace nothing and say nothing: almost surely a mistake.
            parsed.errors.append(RowError(parsed.file_name, None, "", "the file holds a header but no data rows"))
        kinds_seen.add(parsed.kind)
        entry = {
            "file": source_file.original_name,
            "sha256": source_file.sha256,
            "kind": parsed.kind,
            "layout": parsed.layout,
            "shape": parsed.shape,
            "rows": parsed.rows_read,
            "years": parsed.years,
            "years_label": years_label(parsed.years),
            "vintage": parsed.vintage,
            "errors": len(parsed.errors),
            "warnings": parsed.warnings,
            "synthetic": parsed.synthetic,
            "already_imported": _earlier_import(source_file),
        }
        if not parsed.errors and parsed.frame is not None:
            entry.update(compare_with_staged(parsed))
        summary_files.append(entry)
        problems += parsed.errors
        total += parsed.rows_read
    # One run may carry files of several kinds (e.g. every open file at once): one release.
    run.kind = kind or ",".join(sorted(k for k in kinds_seen if k))
    run.rows_total = total
    run.error_count = len(problems)
    run.summary = {"files": summary_files}
    run.status = ImportRun.Status.REJECTED if problems else ImportRun.Status.PREVIEW
    run.save()
    problems.sort(key=lambda p: (p.file, p.row or 0))
    ImportProblem.objects.bulk_create(
        [
            ImportProblem(run=run, file_name=p.file, row=p.row, column=p.field[:100], message=p.message)
            for p in problems[:MAX_STORED_PROBLEMS]
        ],
        batch_size=2000,
    )
    record_event(
        "upload",
        f"run #{run.pk} {run.kind}",
        actor=user,
        files=[f["file"] for f in summary_files],
        errors=len(problems),
    )
    return run


def confirm_run(run: ImportRun, *, user=None) -> ImportRun:
    """Queue the run's pipeline; it starts once this transaction has committed."""
    from .tasks import start_pipeline

    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.status != ImportRun.Status.PREVIEW:
            raise ValueError(f"run #{run.pk} is {run.get_status_display()}; only a preview can be confirmed")
        run.status = ImportRun.Status.QUEUED
        run.confirmed_by = user
        run.confirmed_at = timezone.now()
        run.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        record_event("confirm", f"run #{run.pk} {run.kind}", actor=user)
        transaction.on_commit(lambda: start_pipeline(run.pk))
    return run


def cancel_run(run: ImportRun, *, user=None) -> ImportRun:
    if run.status not in (ImportRun.Status.PREVIEW, ImportRun.Status.REJECTED):
        raise ValueError(f"run #{run.pk} is {run.get_status_display()}; it can no longer be cancelled")
    run.status = ImportRun.Status.CANCELLED
    run.save(update_fields=["status"])
    record_event("cancel", f"run #{run.pk} {run.kind}", actor=user)
    return run


# ------------------------------------------------------------------ staging (the import step)


def stage_run(run: ImportRun) -> list[str]:
    """Write the run's files into the staged data; returns the source kinds it touched.

    Each file replaces the data of its dataset and years, inside one transaction per run, so a
    retry after a crash does the same thing again and a failure leaves the staged data as it was.
    """
    touched = []
    run_files = list(run.runfile_set.select_related("source_file"))
    file_kinds = [entry.get("kind", "") for entry in run.summary.get("files", [])]
    readings = []
    for position, run_file in enumerate(run_files):
        kind = file_kinds[position] if position < len(file_kinds) else run.kind
        reading = read_source_file(run_file.source_file, kind_slug=kind, vintage=run.vintage, year=run.year)
        if reading.parsed.errors:
            raise FileRejected(reading.parsed.errors)
        readings.append((run_file.source_file, reading))
    done = 0
    with transaction.atomic():
        for source_file, reading in readings:
            parsed = reading.parsed
            if parsed.shape == Shape.OBSERVATIONS:
                _stage_observations(parsed, source_file)
            elif parsed.shape == Shape.RECORDS:
                _stage_records(parsed, source_file)
            else:
                _stage_boundaries(source_file, parsed)
            touched.append(parsed.kind)
            done += parsed.rows_read
    ImportRun.objects.filter(pk=run.pk).update(rows_done=done)
    return touched


def _stage_observations(parsed: Parsed, source_file: SourceFile) -> None:
    Observation.objects.filter(dataset=parsed.dataset, year__in=parsed.years).delete()
    frame = parsed.frame.assign(
        dataset=parsed.dataset,
        vintage=parsed.vintage,
        year=parsed.frame["year"].astype(int),
        source_file_id=source_file.pk,
    )
    insert_frame(
        Observation,
        frame,
        {name: name for name in ["dataset", "variable", "vintage", "area_code", "level", "year", "value", "status"]}
        | {"source_file": "source_file_id"},
    )


ID_CHUNK = 5000


def _stage_records(parsed: Parsed, source_file: SourceFile) -> None:
    Record.objects.filter(kind=parsed.kind, year__in=parsed.years).delete()
    # A record may have moved to another year since the last extract (a corrected date).
    ids = parsed.frame["record_id"].tolist()
    for start in range(0, len(ids), ID_CHUNK):
        Record.objects.filter(kind=parsed.kind, record_id__in=ids[start : start + ID_CHUNK]).delete()
    frame = parsed.frame.assign(kind=parsed.kind, vintage=parsed.vintage, source_file_id=source_file.pk)
    frame["sbi_code"] = frame["sbi_code"].fillna("")
    for column in ("category", "subject_id", "object_id"):
        frame[column] = frame[column].fillna("")
    fields = ["kind", "record_id", "vintage", "buurt_code", "date", "end_date", "year", "amount", "sbi_code",
              "category", "subject_id", "object_id", "flags", "synthetic"]
    insert_frame(Record, frame, {name: name for name in fields} | {"source_file": "source_file_id"})


def _stage_boundaries(source_file: SourceFile, parsed: Parsed) -> None:
    path = stored_path(source_file)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / source_file.original_name
        shutil.copyfile(path, copy)
        geography_services.import_boundaries(copy, level=Level(parsed.layout), vintage=parsed.vintage)


def staged_sources() -> list[dict]:
    """The files behind the staged data, for a release's source list."""
    file_ids = set(Observation.objects.values_list("source_file_id", flat=True).distinct())
    file_ids |= set(Record.objects.values_list("source_file_id", flat=True).distinct())
    return [
        {"file": f.original_name, "sha256": f.sha256, "uploaded_at": f.uploaded_at.isoformat()}
        for f in SourceFile.objects.filter(pk__in=file_ids).order_by("original_name")
    ]
