"""On a real worker, a lost database connection during a step is retried; a step that keeps
losing it fails the run with the reason instead of leaving it 'running'."""

import pytest
from django.db import OperationalError

from apps.indicators import services as indicators
from apps.sources import services
from apps.sources.models import ImportRun
from apps.sources.tasks import PipelineTask

from .conftest import needs_broker
from .test_pipeline_worker import baarn_areas, crime_file, private_root, upload, wait_for  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True), needs_broker]


@pytest.fixture
def no_backoff(monkeypatch):
    monkeypatch.setattr(PipelineTask, "retry_backoff", False)
    monkeypatch.setattr(PipelineTask, "default_retry_delay", 0)


def test_a_lost_connection_is_retried_and_the_run_completes(
    worker, baarn_areas, private_root, tmp_path, monkeypatch, no_backoff  # noqa: F811
):
    real = indicators.recalculate
    calls = []

    def flaky(definitions):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(definitions)

    monkeypatch.setattr(indicators, "recalculate", flaky)
    run = upload(crime_file(tmp_path, baarn_areas))
    services.confirm_run(run)

    run = wait_for(run)
    assert len(calls) == 2
    assert run.status == ImportRun.Status.SUCCEEDED, run.error


def test_a_step_that_keeps_failing_marks_the_run_failed(
    worker, baarn_areas, private_root, tmp_path, monkeypatch, no_backoff  # noqa: F811
):
    def down(definitions):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(indicators, "recalculate", down)
    run = upload(crime_file(tmp_path, baarn_areas))
    services.confirm_run(run)

    run = wait_for(run)
    assert run.status == ImportRun.Status.FAILED
    assert "gave up after 5 retries" in run.error
    assert run.release is None
