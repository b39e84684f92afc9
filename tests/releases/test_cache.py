"""The per-release cache: shared cache first, bytes also in process memory under a generation."""

import pytest
from django.core.cache import cache

from apps.releases import cache as release_cache
from apps.releases import services

from .helpers import FIRST, SECOND, build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_process_memory():
    release_cache._local.clear()
    yield
    release_cache._local.clear()


def _counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_bytes_are_served_from_process_memory_once_made():
    services.publish(build(FIRST))
    release = release_cache.current_release()
    compute, calls = _counting(b"page")
    assert release_cache.per_release(release, "k", compute) == b"page"
    # The shared cache loses the page (evicted): this process still has it for this generation.
    cache.delete(f"zicht:r{release.number}:k")
    assert release_cache.per_release(release_cache.current_release(), "k", compute) == b"page"
    assert calls == [1]


def test_other_values_are_not_kept_in_process_memory():
    """A list handed out twice would be one object that a caller could change for all."""
    services.publish(build(FIRST))
    release = release_cache.current_release()
    compute, calls = _counting(["cell"])
    first = release_cache.per_release(release, "k", compute)
    cache.delete(f"zicht:r{release.number}:k")
    second = release_cache.per_release(release_cache.current_release(), "k", compute)
    assert first == second == ["cell"]
    assert calls == [1, 1]


def test_a_publication_starts_a_new_generation(django_capture_on_commit_callbacks):
    services.publish(build(FIRST))
    first = release_cache.current_release()
    release_cache.per_release(first, "k", lambda: b"first")
    second_release = build(SECOND)
    with django_capture_on_commit_callbacks(execute=True):  # publication forgets once committed
        services.publish(second_release)
    current = release_cache.current_release()
    assert current.number == second_release.number
    assert current._cache_generation != first._cache_generation
    assert release_cache.per_release(current, "k", lambda: b"second") == b"second"


def test_clearing_the_shared_cache_empties_what_the_process_may_read():
    """Tests (and operators) clear the cache after changing data; memory must follow."""
    services.publish(build(FIRST))
    release = release_cache.current_release()
    release_cache.per_release(release, "k", lambda: b"old")
    cache.clear()
    again = release_cache.current_release()
    assert again._cache_generation != release._cache_generation
    assert release_cache.per_release(again, "k", lambda: b"new") == b"new"


def test_a_release_not_read_as_current_uses_only_the_shared_cache():
    release = build(FIRST)
    services.publish(release)
    compute, calls = _counting(b"page")
    release_cache.per_release(release, "k", compute)  # a model instance from the database
    cache.delete(f"zicht:r{release.number}:k")
    release_cache.per_release(release, "k", compute)
    assert calls == [1, 1]


def test_process_memory_keeps_the_most_recent_within_its_size():
    memory = release_cache._LocalBytes(max_bytes=80)
    for name in "abcd":
        memory.put((1, name), name.encode() * 10)
    memory.get((1, "a"))  # used again: kept
    memory.put((1, "e"), b"e" * 10)
    memory.put((1, "f"), b"f" * 10)
    memory.put((1, "g"), b"g" * 10)
    memory.put((1, "h"), b"h" * 10)
    memory.put((1, "i"), b"i" * 10)
    assert memory.get((1, "a")) is not None
    assert memory.get((1, "b")) is None
    assert sum(len(memory.get((1, n)) or b"") for n in "abcdefghi") <= 80
    memory.put((1, "big"), b"x" * 11)  # over an eighth of the store: never kept
    assert memory.get((1, "big")) is None
