"""Celery tasks of a run: each only calls its pipeline step (apps.sources.pipeline).

A lost database connection is worth another try (with back-off); every other failure is marked
on the run by the step itself. When the retries run out, the run is marked failed too.
"""

from celery import Task, chain, shared_task
from django.db import InterfaceError, OperationalError

from . import pipeline

TRANSIENT = (OperationalError, InterfaceError)


class PipelineTask(Task):
    autoretry_for = TRANSIENT
    retry_backoff = 2
    retry_backoff_max = 60
    max_retries = 5

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        pipeline.fail(args[0], f"{self.name}: gave up after {self.max_retries} retries: {exc}")


@shared_task(base=PipelineTask, name="sources.import_step")
def import_step(run_id: int) -> bool:
    return pipeline.import_step(run_id)


@shared_task(base=PipelineTask, name="sources.recalculate_step")
def recalculate_step(run_id: int) -> bool:
    return pipeline.recalculate_step(run_id)


@shared_task(base=PipelineTask, name="sources.disclose_step")
def disclose_step(run_id: int) -> bool:
    return pipeline.disclose_step(run_id)


@shared_task(base=PipelineTask, name="sources.release_step")
def release_step(run_id: int) -> bool:
    return pipeline.release_step(run_id)


def start_pipeline(run_id: int):
    """Send the run's chain to the workers (or run it in-process when Celery is eager)."""
    return chain(
        import_step.si(run_id), recalculate_step.si(run_id), disclose_step.si(run_id), release_step.si(run_id)
    ).apply_async()
