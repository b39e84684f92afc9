"""Releases: built immutable, published one at a time, rolled back, compared."""

import pandas as pd
import pytest
from django.db import IntegrityError, transaction

from apps.core.models import AuditEvent
from apps.releases import services
from apps.releases.models import Release
from apps.releases.selectors import current_release
from tests.releases.helpers import FIRST, SECOND, build, current_numbers, values

pytestmark = pytest.mark.usefixtures("db")  # not the django_db marker: see tests/conftest.py


def test_a_release_copies_the_protected_cells(admin_user):
    release = build(FIRST + [("hennepkwekerijen_per_1000_woningen", "BU03080000", 2024, 3.0, "V", True)])

    assert (release.number, release.status, release.is_current) == (1, "ready", False)
    assert (release.cell_count, release.suppressed_count, release.contains_synthetic) == (4, 1, True)
    assert values(release)[0] == ("hennepkwekerijen_per_1000_woningen", "BU03080000", 2024, 3.0, "V")
    # A cell new in this release is added, not "newly suppressed": that is for cells once visible.
    assert release.changes == {"added": 4, "removed": 0, "changed": 0, "newly_suppressed": 0,
                               "no_longer_suppressed": 0, "against": None}
    assert release.sources[0]["file"] == "test.csv"
    assert AuditEvent.objects.filter(action="release_built", subject=f"release {release.number}").exists()


def test_publish_makes_exactly_one_release_current(admin_user):
    first, second, third = build(FIRST), build(SECOND), build(SECOND)

    services.publish(first, actor=admin_user)
    assert current_numbers() == [1]
    services.publish(second, actor=admin_user)
    assert current_numbers() == [2]
    services.publish(third)
    assert current_numbers() == [3]
    assert current_release() == third

    first.refresh_from_db()
    assert (first.status, first.published_by) == ("published", admin_user)  # still once published
    assert list(AuditEvent.objects.filter(action="publish").values_list("subject", flat=True)) == [
        f"release {third.number}", f"release {second.number}", f"release {first.number}",
    ]


def test_publishing_the_current_release_again_keeps_it_current():
    first = build(FIRST)
    services.publish(first)
    published_at = Release.objects.get().published_at

    services.publish(first)

    assert current_numbers() == [1]
    assert Release.objects.get().published_at == published_at


def test_publish_is_atomic(monkeypatch):
    first, second = build(FIRST), build(SECOND)
    services.publish(first)

    def fails(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Release, "save", fails)
    with pytest.raises(RuntimeError):
        services.publish(second)

    # The old release was made not current first; the failure undid that too.
    assert current_numbers() == [1]


def test_the_database_refuses_two_current_releases():
    first, second = build(FIRST), build(SECOND)
    services.publish(first)

    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=second.pk).update(is_current=True)
    assert current_numbers() == [1]


def test_rollback_makes_an_earlier_release_current(admin_user):
    first, second = build(FIRST), build(SECOND)
    services.publish(first, actor=admin_user)
    services.publish(second, actor=admin_user)
    first_published_at = Release.objects.get(number=1).published_at

    services.rollback(1, actor=admin_user)

    assert current_numbers() == [1]
    first.refresh_from_db()
    assert first.published_at == first_published_at  # the first publication is not rewritten
    event = AuditEvent.objects.filter(action="rollback").get()
    assert (event.subject, event.actor) == (f"release {first.number}", admin_user)
    assert _same_values(values(first), FIRST)


def test_rollback_to_an_unknown_release():
    build(FIRST)

    with pytest.raises(Release.DoesNotExist):
        services.rollback(7)


def _same_values(actual, expected) -> bool:
    return len(actual) == len(expected) and all(
        a[:3] == e[:3] and a[4] == e[4] and ((a[3] is None and e[3] is None) or a[3] == e[3])
        for a, e in zip(actual, sorted(expected))
    )


def test_releases_are_immutable():
    first = build(FIRST)
    before = values(first)
    assert _same_values(before, FIRST)

    second = build(SECOND)
    services.publish(second)
    build([])  # an empty third release

    assert values(first) == before
    assert _same_values(values(second), SECOND)


def test_a_release_compares_with_the_current_one_not_just_the_newest():
    first = build(FIRST)
    services.publish(first)
    build(SECOND)  # built, never published

    third = build(SECOND)

    assert third.changes["against"] == 1
    assert (third.changes["added"], third.changes["changed"]) == (1, 1)


def test_before_any_publication_a_release_compares_with_the_one_before():
    build(FIRST)

    second = build(SECOND)

    assert second.changes == {"added": 1, "removed": 0, "changed": 1, "newly_suppressed": 0,
                              "no_longer_suppressed": 0, "against": 1}


def frame(rows):
    return pd.DataFrame(rows, columns=["indicator", "area_code", "year", "value", "status"])


def test_compare_counts_each_kind_of_change():
    old = frame([
        ("inwoners", "GM0308", 2024, 100.0, "V"),  # unchanged
        ("inwoners", "BU1", 2024, 10.0, "V"),  # changed value
        ("inwoners", "BU2", 2024, 5.0, "V"),  # newly suppressed
        ("inwoners", "BU3", 2024, None, "T"),  # no longer suppressed
        ("inwoners", "BU4", 2024, 7.0, "V"),  # removed
        ("inwoners", "BU5", 2024, None, "N"),  # unchanged, no value on either side
        ("inwoners", "BU6", 2024, None, "S"),  # S to T: changed, suppressed both times
    ])
    new = frame([
        ("inwoners", "GM0308", 2024, 100.0, "V"),
        ("inwoners", "BU1", 2024, 11.0, "V"),
        ("inwoners", "BU2", 2024, None, "A"),
        ("inwoners", "BU3", 2024, 12.0, "V"),
        ("inwoners", "BU5", 2024, None, "N"),
        ("inwoners", "BU6", 2024, None, "T"),
        ("inwoners", "BU7", 2024, 1.0, "V"),  # added
        ("inwoners", "GM0308", 2023, 99.0, "V"),  # added: another year
    ])

    assert services.compare(new, old) == {
        "added": 2, "removed": 1, "changed": 4, "newly_suppressed": 1, "no_longer_suppressed": 1,
    }


def test_compare_of_identical_frames_is_all_zero():
    cells = frame([("a", "GM0308", 2024, 1.5, "V"), ("a", "BU1", 2024, None, "N")])

    assert set(services.compare(cells, cells.copy()).values()) == {0}


def test_compare_against_nothing_counts_everything_as_added():
    new = frame([("a", "GM0308", 2024, 1.0, "V"), ("a", "BU1", 2024, None, "S")])

    result = services.compare(new, frame([]))

    assert result == {"added": 2, "removed": 0, "changed": 0, "newly_suppressed": 0, "no_longer_suppressed": 0}
