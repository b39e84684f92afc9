"""Cache: local memory by default, Redis when CACHE_URL points to it."""

from .env import env

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://zicht")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's backend, reusing its redis-py client (see apps.core.cache).
    CACHES["default"]["BACKEND"] = "apps.core.cache.RedisCache"
