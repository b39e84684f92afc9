"""Published data cached per release.

A release never changes, so anything read from it can be kept until the release stops being
current: keys carry the release number, and publishing (or rolling back) replaces the one key
that says which release is current. Old keys are never read again and age out of the cache.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from .models import Release

T = TypeVar("T")

CURRENT_KEY = "zicht:current-release"
TIMEOUT = 24 * 3600
_MISSING = object()


def current_release() -> Release | None:
    """The current release, read once per cache lifetime (no query on a warm page)."""
    release = cache.get(CURRENT_KEY, _MISSING)
    if release is _MISSING:
        release = Release.objects.filter(is_current=True).first()
        cache.set(CURRENT_KEY, release, TIMEOUT)
    return release


def forget_current_release() -> None:
    cache.delete(CURRENT_KEY)


def per_release(release: Release, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this release, from the cache when an earlier request made it."""
    if len(key) > 120:
        # Memcached refuses keys over 250 characters; long selections are hashed.
        key = hashlib.sha256(key.encode()).hexdigest()
    full_key = f"zicht:r{release.number}:{key}"
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value
