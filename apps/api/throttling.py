"""Rate limits of the API: a counter per caller and fixed window, raised atomically in the cache.

DRF's own throttles keep a list of request times per caller, read it, add one and write it back.
With several web processes two requests of the same caller read the same list and one of them is
not counted, and each request moves the whole list (a caller at the limit of 600 a minute moves
600 timestamps twice). Here a request is one increment of a number in the shared cache, which
Redis does atomically; the price is the fixed window's edge (a caller may spend one window's
allowance at its end and the next at the start of the next).
"""

from __future__ import annotations

import math

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class FixedWindowMixin:
    def allow_request(self: SimpleRateThrottle, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = math.floor(self.now / self.duration)
        self.window_ends = (window + 1) * self.duration
        return self._count(f"{self.key}:{window}") <= self.num_requests

    def _count(self: SimpleRateThrottle, key: str) -> int:
        """This request's number in the window (from 1)."""
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request
            # The key outlives its window a little, so no increment in the window can find it gone.
            if self.cache.add(key, 1, self.duration + 5):
                return 1
            return self.cache.incr(key)

    def wait(self) -> float:
        """Seconds until the next window, when the caller may ask again."""
        return max(self.window_ends - self.timer(), 1.0)


class AnonWindowThrottle(FixedWindowMixin, AnonRateThrottle):
    """Anonymous callers, by address (scope ``anon``)."""


class UserWindowThrottle(FixedWindowMixin, UserRateThrottle):
    """Logged-in callers or key holders, by user (scope ``user``)."""
