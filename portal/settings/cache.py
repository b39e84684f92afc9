"""Cache: local memory by default, Redis when CACHE_URL points to it."""

from .env import env

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://zicht")}
