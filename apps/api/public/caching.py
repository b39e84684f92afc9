"""HTTP caching of the open data endpoints.

A published release never changes, so what the API says about it depends only on the release
number and the (normalised) query: that pair is the ETag, and a client (or a shared cache) that
sends it back in ``If-None-Match`` gets 304 before the database is asked anything. The current
release may be replaced by the next one, so answers about it are kept 5 minutes; an answer about
a release named explicitly with ``?release=`` is the same for ever. Errors are never stored by a
shared cache (``no-store``).
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.releases import selectors as release_selectors
from apps.releases.cache import current_release
from apps.releases.models import Release

CURRENT_MAX_AGE = 300
EXPLICIT_MAX_AGE = 365 * 24 * 3600
CURRENT = f"public, max-age={CURRENT_MAX_AGE}"
IMMUTABLE = f"public, max-age={EXPLICIT_MAX_AGE}, immutable"
ERRORS = "no-store"
VARY = ("Accept", "Accept-Language")
_RELEASE_KEY = "zicht:api:published-release:{number}"


def resolve_release(number: int | None) -> tuple[Release, bool]:
    """(release, named explicitly). The current release comes from the cache; a published one
    named by number is looked up once and then kept (a published release stays published).
    An unknown number, or one of a release never published, is a 400 on ``release``."""
    if number is None:
        release = current_release()
        if release is None:
            raise serializers.ValidationError({"release": [_("No release has been published yet.")]})
        return release, False
    key = _RELEASE_KEY.format(number=number)
    release = cache.get(key)
    if release is None:
        release = release_selectors.published_release(number)
        if release is None:
            raise serializers.ValidationError({"release": [
                _("There is no published release %(number)s; the releases are listed at /api/v1/releases/.")
                % {"number": number}
            ]})
        cache.set(key, release, 24 * 3600)
    return release, True


def normalised_query(params: dict) -> str:
    """The validated parameters in one canonical order and spelling (lists comma-joined)."""
    items = []
    for name in sorted(params):
        value = params[name]
        if value in (None, "", []):
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(item) for item in value)
        items.append((name, str(value)))
    return urlencode(items)


def etag_for(release: Release | None, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f'"r{release.number}-{digest}"' if release is not None else f'"{digest}"'


def not_modified(request, etag: str) -> bool:
    """Whether ``If-None-Match`` names this ETag (weak comparison: GZip makes ETags weak)."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def apply(response, *, etag: str | None, cache_control: str = CURRENT):
    if etag:
        response["ETag"] = etag
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, VARY)
    return response


def for_release(explicit: bool) -> str:
    return IMMUTABLE if explicit else CURRENT


def mark_error(response):
    """Error answers (4xx, 5xx) must not be kept by a shared cache."""
    if response.status_code >= 400:
        response["Cache-Control"] = ERRORS
    return response
