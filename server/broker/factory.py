"""Choose the broker and presence adapters from configuration."""

from __future__ import annotations

from redis.asyncio import Redis, RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..ports import Broker, PresenceStore
from .cluster import RedisClusterBroker, parse_cluster_urls
from .memory import MemoryBroker
from .presence import MemoryPresence, RedisPresence
from .redis import RedisBroker

_CONNECT_S = 2.0
_READ_S = 5.0


def _retry() -> Retry:
    """A few quick retries ride out a restart (a dead pooled connection)."""
    return Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 3)


def make_broker(redis_url: str, *, cluster: bool, keepalive_channel: str) -> Broker:
    """Memory without a URL; Redis Cluster (sharded pub/sub) or one Redis."""
    if not redis_url:
        return MemoryBroker()
    if cluster:
        return RedisClusterBroker(redis_url, keepalive_channel=keepalive_channel)
    return RedisBroker(redis_url, keepalive_channel=keepalive_channel)


def make_presence(redis_url: str, *, cluster: bool, prefix: str, ttl_s: float) -> PresenceStore:
    """Memory without a URL; else Redis keys, Cluster-safe by hash tag.

    With ``cluster``, ``redis_url`` may list several node URLs separated by
    commas; the client needs only one that answers.
    """
    if not redis_url:
        return MemoryPresence(ttl_s=ttl_s)
    client: Redis | RedisCluster
    if cluster:
        nodes, shared = parse_cluster_urls(redis_url)
        client = RedisCluster(
            startup_nodes=nodes,
            socket_connect_timeout=_CONNECT_S,
            socket_timeout=_READ_S,
            retry=_retry(),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            **shared,
        )
    else:
        client = Redis.from_url(
            redis_url,
            socket_connect_timeout=_CONNECT_S,
            socket_timeout=_READ_S,
            retry=_retry(),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
    return RedisPresence(client, prefix=prefix, ttl_s=ttl_s)
