"""Reads of the sources app for the admin and the command line."""

from .models import ImportProblem, ImportRun


def problem_list(run: ImportRun):
    return ImportProblem.objects.filter(run=run).order_by("id")


def preview_lines(run: ImportRun) -> list[str]:
    lines = [f"run #{run.pk}: {run.kind or 'kind unknown'}, {run.get_status_display()}"]
    for entry in run.summary.get("files", []):
        years = entry.get("years_label") or "-"
        line = f"  {entry['file']}: {entry.get('rows', 0):,} rows, years {years}"
        if entry.get("layout"):
            line += f", layout {entry['layout']}"
        if "added" in entry:
            line += (
                f"; would add {entry['added']:,}, change {entry['changed']:,}, "
                f"leave {entry['unchanged']:,}, remove {entry['removed']:,}"
            )
        if entry.get("errors"):
            line += f"; {entry['errors']:,} errors"
        lines.append(line)
        if entry.get("already_imported"):
            earlier = entry["already_imported"]
            lines.append(f"    this exact file was imported before: run #{earlier['run']} ({earlier['at'][:16]}, {earlier['by']})")
        for warning in entry.get("warnings", [])[:10]:
            lines.append(f"    note: {warning}")
    return lines


def progress(run: ImportRun) -> dict:
    """What the admin's progress panel shows, as JSON."""
    from django.utils import timezone

    end = run.finished_at or timezone.now()
    elapsed = (end - run.started_at).total_seconds() if run.started_at else 0
    steps = [step for step in ImportRun.Step.values if step not in ("",)]
    position = steps.index(run.step) if run.step in steps else -1
    done_steps = len(steps) - 1 if run.step == ImportRun.Step.DONE else max(position, 0)
    return {
        "id": run.pk,
        "status": run.status,
        "status_display": str(run.get_status_display()),
        "step": run.step,
        "step_display": str(run.get_step_display()),
        "rows_total": run.rows_total,
        "rows_done": run.rows_done,
        "percent": round(100 * done_steps / (len(steps) - 1)),
        "elapsed_seconds": round(elapsed, 1),
        "error": run.error,
        "release": run.release.number if run.release_id else None,
        "finished": run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
    }
