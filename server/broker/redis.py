"""The Redis broker (redis-py asyncio). Redis only rings the doorbell.

Losing the pub/sub link loses whatever was published meanwhile, whether
Redis restarted or cut a slow subscriber at its output-buffer limit. The
link then reconnects, resubscribes and calls ``on_reconnect``, and the hub
fills each room's gap from MongoDB before delivering new events. Publishes
that fail while Redis is away are kept (bounded) and re-sent in order.
"""

from __future__ import annotations

from collections.abc import Iterable

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .link import CLASSIC, Dialect
from .linked import LinkedBroker

_BATCH = 1000  # channels per SUBSCRIBE when resubscribing many


class RedisBroker(LinkedBroker):
    def __init__(self, url: str, *, keepalive_channel: str) -> None:
        self._redis = Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=10,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
        super().__init__(_ServerRouter(url), keepalive_channel=keepalive_channel)

    async def _send(self, channel: str, payload: bytes) -> None:
        await self._redis.publish(channel, payload)

    async def _ping(self) -> None:
        await self._redis.ping()

    async def _close_client(self) -> None:
        await self._redis.aclose()


class _ServerRouter:
    """Every channel lives on the one server."""

    dialect: Dialect = CLASSIC

    def __init__(self, url: str) -> None:
        self._url = url

    def owner(self, channel: str) -> str:
        return "redis"

    def connect(self, node: str) -> Redis:
        # Links never retry by themselves (see link.py).
        return Redis.from_url(
            self._url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=10,
            retry=Retry(NoBackoff(), 0, supported_errors=()),
        )

    def batches(self, channels: Iterable[str]) -> list[list[str]]:
        listed = list(channels)
        return [listed[i : i + _BATCH] for i in range(0, len(listed), _BATCH)]

    async def refresh(self) -> None:
        return None
