"""Published data cached per release.

A release never changes, so anything read from it can be kept until the release stops being
current: keys carry the release number, and publishing (or rolling back) replaces the one key
that says which release is current. Old keys are never read again and age out of the cache.

Answers that are already bytes (the open data API's pages) are also kept in this process's
memory, so a warm request costs one round trip to a shared cache (which release is current)
instead of also fetching and unpickling a page of a hundred kilobytes. They are filed under the
*generation* of the current-release entry: a token made each time that entry is written. When the
entry goes (a publication, a rollback, ``cache.clear()``, its timeout) the next request writes a
new token and nothing kept under the old one is read again.
"""

import hashlib
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .models import Release

T = TypeVar("T")

CURRENT_KEY = "zicht:current-release"
TIMEOUT = 24 * 3600
# Publishing deletes the entry once committed, but a request that read the old release just
# before could write it back after; a short lifetime bounds that to the pages' own max-age.
CURRENT_TIMEOUT = 300
# Per web process; pages of the API are 1–150 KB.
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_MISSING = object()


class _LocalBytes:
    """A least-recently-used store of bytes, bounded by their total size, safe across threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value: bytes) -> None:
        if len(value) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old)
            self._items[key] = value
            self._size += len(value)
            while self._size > self.max_bytes:
                _key, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


_local = _LocalBytes(LOCAL_MAX_BYTES)


def current_release() -> Release | None:
    """The current release, read once per cache lifetime (no query on a warm page)."""
    entry = cache.get(CURRENT_KEY, _MISSING)
    if entry is _MISSING or not isinstance(entry, tuple):
        release = Release.objects.filter(is_current=True).first()
        entry = (release, uuid.uuid4().hex)
        cache.set(CURRENT_KEY, entry, CURRENT_TIMEOUT)
    release, generation = entry
    if release is not None:
        # Only a release read through here may use the process memory: its generation says
        # that the shared cache still holds what the memory was filled from.
        release._cache_generation = generation
    return release


def forget_current_release() -> None:
    cache.delete(CURRENT_KEY)


def per_release(release: Release, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this release, from the cache when an earlier request made it."""
    if len(key) > 120:
        # Memcached refuses keys over 250 characters; long selections are hashed.
        key = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"zicht:r{release.number}:{key}"
    generation = getattr(release, "_cache_generation", None)
    local_key = (generation, full_key)
    if generation is not None:
        value = _local.get(local_key)
        if value is not None:
            return value
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    if generation is not None and isinstance(value, bytes):
        _local.put(local_key, value)
    return value
