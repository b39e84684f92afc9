"""manage.py releases, publish and rollback."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.core.models import AuditEvent
from apps.releases import services
from tests.releases.helpers import FIRST, SECOND, build, current_numbers

pytestmark = pytest.mark.usefixtures("db")  # not the django_db marker: see tests/conftest.py


def run(*args) -> str:
    out = StringIO()
    call_command(*[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_releases_lists_every_release_and_marks_the_current_one():
    services.publish(build(FIRST))
    build(SECOND)

    lines = run("releases").splitlines()

    assert len(lines) == 2
    assert lines[0].split()[0] == "2" and not lines[0].startswith("*")  # newest first
    assert lines[1].startswith("*") and lines[1].split()[1] == "1"
    assert "+1 ~1 -0" in lines[0]
    assert "4 cells" in lines[0] and "1 suppressed" in lines[0]


def test_releases_without_any():
    assert run("releases") == ""


def test_publish_without_a_number_publishes_the_newest():
    build(FIRST), build(SECOND)

    assert "release 2 is now current" in run("publish")
    assert current_numbers() == [2]
    assert AuditEvent.objects.filter(action="publish").count() == 1


def test_publish_a_given_number():
    build(FIRST), build(SECOND)

    run("publish", 1)

    assert current_numbers() == [1]


def test_publish_an_unknown_number():
    build(FIRST)

    with pytest.raises(CommandError, match="no release 9"):
        run("publish", 9)
    assert current_numbers() == []


def test_publish_when_there_is_no_release():
    with pytest.raises(CommandError, match="no release yet"):
        run("publish")


def test_rollback():
    build(FIRST), build(SECOND)
    run("publish", 2)

    assert "release 1 is now current" in run("rollback", 1)
    assert current_numbers() == [1]
    assert AuditEvent.objects.filter(action="rollback").count() == 1


def test_rollback_to_an_unknown_number_changes_nothing():
    build(FIRST)
    run("publish", 1)

    with pytest.raises(CommandError, match="no release 5"):
        run("rollback", 5)
    assert current_numbers() == [1]
