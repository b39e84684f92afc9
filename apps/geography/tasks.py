"""Celery tasks of the geography. They only dispatch to services and are safe to run twice."""

from celery import shared_task

from . import services, webfiles


@shared_task(name="geography.refresh_derived_boundaries")
def refresh_derived_boundaries(vintage: int) -> int:
    """Dissolve missing provincie/Nederland boundaries and rebuild the web files of a vintage."""
    services.dissolve_missing_boundaries(vintage)
    return len(webfiles.build_web_boundary_files(vintage))
