"""Celery tasks of a run: each only calls its pipeline step (apps.sources.pipeline)."""

from celery import chain, shared_task

from . import pipeline


@shared_task(name="sources.import_step")
def import_step(run_id: int) -> bool:
    return pipeline.import_step(run_id)


@shared_task(name="sources.recalculate_step")
def recalculate_step(run_id: int) -> bool:
    return pipeline.recalculate_step(run_id)


@shared_task(name="sources.disclose_step")
def disclose_step(run_id: int) -> bool:
    return pipeline.disclose_step(run_id)


@shared_task(name="sources.release_step")
def release_step(run_id: int) -> bool:
    return pipeline.release_step(run_id)


def start_pipeline(run_id: int):
    """Send the run's chain to the workers (or run it in-process when Celery is eager)."""
    return chain(
        import_step.si(run_id), recalculate_step.si(run_id), disclose_step.si(run_id), release_step.si(run_id)
    ).apply_async()
