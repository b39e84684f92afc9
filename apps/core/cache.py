"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django's backend builds a ``redis.Redis`` object around its connection pool for every cache call.
In redis-py 8 that construction costs about a third of a millisecond (retry policy, callbacks),
more than the round trip itself on loopback, and a request of the open data API makes three
calls. A client is thread-safe and holds no connection of its own (the pool does), so one per
pool is kept and reused.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
