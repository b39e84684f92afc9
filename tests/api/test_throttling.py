"""The API's rate limits: one counter per caller and window, counted atomically."""

import threading

import pytest
from django.core.cache import caches
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle

from apps.api.throttling import AnonWindowThrottle

factory = APIRequestFactory()


def _request(address: str = "192.0.2.1"):
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request

    request = Request(factory.get("/api/v1/themas/", REMOTE_ADDR=address))
    request.user = AnonymousUser()
    return request


class _Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _throttle(rate: str, clock: _Clock, cache=None) -> AnonWindowThrottle:
    throttle = AnonWindowThrottle()
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    throttle.timer = clock
    if cache is not None:
        throttle.cache = cache
    return throttle


def test_a_caller_gets_the_rate_per_window_then_waits_for_the_next():
    clock = _Clock(60 * 16_667 + 20.0)  # 20 s into a minute
    allowed = [_throttle("3/min", clock).allow_request(_request(), None) for _ in range(4)]
    assert allowed == [True, True, True, False]
    refused = _throttle("3/min", clock)
    assert not refused.allow_request(_request(), None)
    assert refused.wait() == pytest.approx(40.0)
    clock.now += 40.0
    assert _throttle("3/min", clock).allow_request(_request(), None)


def test_callers_are_counted_apart():
    clock = _Clock(1_000_000.0)
    assert all(_throttle("2/min", clock).allow_request(_request("192.0.2.1"), None) for _ in range(2))
    assert not _throttle("2/min", clock).allow_request(_request("192.0.2.1"), None)
    assert _throttle("2/min", clock).allow_request(_request("192.0.2.2"), None)


def test_a_logged_in_caller_is_not_counted_as_anonymous(django_user_model, db):
    request = _request()
    request.user = django_user_model.objects.create_user("lid", "lid@example.org", "x")
    throttle = _throttle("1/min", _Clock(1_000_000.0))
    assert throttle.allow_request(request, None) and throttle.allow_request(request, None)


def test_concurrent_requests_on_redis_are_each_counted_once(redis_cache_location):
    """Many web processes share one Redis: a read-then-write counter loses requests that
    overlap, an increment does not. 8 threads × 25 requests against a limit of 100."""
    caches.settings["throttle-test"] = {"BACKEND": "apps.core.cache.RedisCache", "LOCATION": redis_cache_location}

    def allowed_count(throttle_class) -> int:
        redis = caches.create_connection("throttle-test")
        redis.clear()
        clock = _Clock(1_000_000.0)
        allowed = []
        start = threading.Barrier(8)

        def caller():
            cache = caches.create_connection("throttle-test")  # one client per thread, as per process
            start.wait()
            for _ in range(25):
                throttle = throttle_class()
                throttle.rate = "100/min"
                throttle.num_requests, throttle.duration = 100, 60
                throttle.timer = clock
                throttle.cache = cache
                allowed.append(throttle.allow_request(_request(), None))

        threads = [threading.Thread(target=caller) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        redis.clear()
        return sum(allowed)

    try:
        assert allowed_count(AnonWindowThrottle) == 100
        # DRF's list of request times, the same way, lets more through: the check is not idle.
        assert allowed_count(AnonRateThrottle) > 100
    finally:
        del caches.settings["throttle-test"]


def test_a_forged_forwarded_for_header_does_not_make_a_new_caller():
    clock = _Clock(1_000_000.0)
    first = _request()
    assert _throttle("1/min", clock).allow_request(first, None)
    forged = _request()
    forged._request.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    assert not _throttle("1/min", clock).allow_request(forged, None)


def test_behind_a_proxy_the_address_it_forwards_is_the_caller(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    clock = _Clock(1_000_000.0)
    for client in ("203.0.113.9", "203.0.113.10"):
        request = _request(address="10.0.0.1")  # the proxy
        request._request.META["HTTP_X_FORWARDED_FOR"] = f"198.51.100.1, {client}"
        assert _throttle("1/min", clock).allow_request(request, None)
