"""The recalculation pipeline of a confirmed run: import → recalculate → disclosure → release.

Each step is a function of the run id that is safe to run again (a worker killed mid-step
redelivers it, see CELERY_TASK_ACKS_LATE). Recalculation, disclosure control and the release
build take the pipeline lock, so runs confirmed at the same time follow each other and the last
release holds both. A step that fails marks the run failed with its reason; the steps after it
do nothing, and the current release stays as it was.
"""

import logging
import time
import traceback

from celery import current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from apps.core.locks import hold_pipeline_lock
from apps.core.problems import FileRejected
from apps.core.services import record_event
from apps.disclosure import services as disclosure
from apps.geography import services as geography_services
from apps.geography import webfiles
from apps.indicators import registry
from apps.indicators import services as indicators
from apps.releases import services as releases

from . import services
from .models import ImportRun

logger = logging.getLogger(__name__)
Step = ImportRun.Step
TRANSIENT = (OperationalError, InterfaceError)


def _set(run_id: int, **fields) -> None:
    ImportRun.objects.filter(pk=run_id).update(**fields)


def _runnable(run_id: int) -> ImportRun | None:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.status not in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING):
        return None
    return run


def fail(run_id: int, reason: str) -> None:
    _set(run_id, status=ImportRun.Status.FAILED, error=reason, finished_at=timezone.now())
    run = ImportRun.objects.get(pk=run_id)
    record_event("run_failed", f"run #{run_id} {run.kind}", reason=reason[:500])
    logger.warning("run #%s failed: %s", run_id, reason.splitlines()[0] if reason else "")


def _guarded(step: str):
    """Run a step; any exception marks the run failed instead of escaping into the chain."""

    def decorate(function):
        def wrapper(run_id: int):
            run = _runnable(run_id)
            if run is None:
                return False
            fields = {"status": ImportRun.Status.RUNNING, "step": step}
            if run.started_at is None:
                fields["started_at"] = timezone.now()
            _set(run_id, **fields)
            if settings.PIPELINE_STEP_PAUSE_SECONDS:
                time.sleep(settings.PIPELINE_STEP_PAUSE_SECONDS)
            try:
                function(run)
            except TRANSIENT as exc:
                if not current_app.conf.task_always_eager:
                    raise  # a worker retries the step (apps.sources.tasks.PipelineTask)
                fail(run_id, f"{step}: {exc}")
                return False
            except FileRejected as exc:
                fail(run_id, f"{step}: the file was refused:\n{exc.summary()}")
                return False
            except Exception as exc:  # noqa: BLE001 - every failure must end up on the run
                fail(run_id, f"{step}: {exc}\n\n{traceback.format_exc(limit=5)}")
                return False
            return True

        wrapper.__name__ = function.__name__
        return wrapper

    return decorate


@_guarded(Step.IMPORT)
def import_step(run: ImportRun) -> None:
    services.stage_run(run)
    for vintage in {e.get("vintage") for e in run.summary.get("files", []) if e.get("kind") == "grenzen"}:
        geography_services.dissolve_missing_boundaries(vintage)
        webfiles.build_web_boundary_files(vintage)


def _affected(run: ImportRun):
    kinds = {entry.get("kind") for entry in run.summary.get("files", [])}
    return registry.affected_by(sorted(k for k in kinds if k))


@_guarded(Step.RECALCULATE)
def recalculate_step(run: ImportRun) -> None:
    with transaction.atomic():
        hold_pipeline_lock()
        indicators.recalculate(_affected(run))


@_guarded(Step.DISCLOSE)
def disclose_step(run: ImportRun) -> None:
    with transaction.atomic():
        hold_pipeline_lock()
        report = disclosure.protect_all()
    # The report stays (stewards see what failed); the release step never runs after this.
    disclosure.raise_if_failed(report)


@_guarded(Step.RELEASE)
def release_step(run: ImportRun) -> None:
    with transaction.atomic():
        hold_pipeline_lock()
        release = releases.build_release(sources=services.staged_sources())
        if releases.auto_publish_enabled():
            releases.publish(release, actor=run.confirmed_by)
        _set(
            run.pk,
            release=release,
            status=ImportRun.Status.SUCCEEDED,
            step=Step.DONE,
            finished_at=timezone.now(),
        )
    record_event("run_succeeded", f"run #{run.pk} {run.kind}", release=release.number)


STEPS = [import_step, recalculate_step, disclose_step, release_step]
