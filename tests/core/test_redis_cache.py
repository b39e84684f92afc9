"""The Redis cache backend: Django's, with its redis-py client kept."""

from apps.core.cache import RedisCache


def test_one_client_serves_every_call_and_the_cache_works(redis_cache_location):
    cache = RedisCache(redis_cache_location, {})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client("any") is client
    cache.set("zicht-test", {"a": 1}, 10)
    assert cache.get("zicht-test") == {"a": 1}
    cache.set("zicht-count", 1, 10)
    assert cache.incr("zicht-count") == 2
    cache.clear()
    assert cache.get("zicht-test") is None


def test_a_redis_cache_url_selects_it(monkeypatch):
    import importlib

    from portal.settings import cache as cache_settings

    monkeypatch.setenv("CACHE_URL", "rediscache://127.0.0.1:6379/1")
    try:
        assert importlib.reload(cache_settings).CACHES["default"]["BACKEND"] == "apps.core.cache.RedisCache"
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(cache_settings)
