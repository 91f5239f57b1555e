"""The Redis broker (redis-py asyncio). Redis only rings the doorbell.

Losing the pub/sub link loses whatever was published meanwhile, whether the
listener sees the error (a Redis restart, an output-buffer cut of a slow
subscriber) or redis-py quietly re-connects and re-subscribes inside
``get_message``. Either way every (re)connect calls ``on_reconnect``, and the
hub fills each room's gap from MongoDB before delivering new events.
Publishes that fail while Redis is away are kept (bounded) and re-sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import deque
from typing import Any

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..domain.errors import BrokerUnavailable
from ..ports import MessageHandler, ReconnectHandler

log = structlog.get_logger(__name__)
_DROPPED = (RedisConnectionError, RedisTimeoutError, OSError, ConnectionError)
_BACKLOG_MAX = 10_000


class RedisBroker:
    def __init__(self, url: str, *, keepalive_channel: str) -> None:
        self._redis = Redis.from_url(
            url,
            socket_connect_timeout=2,
            socket_timeout=5,
            health_check_interval=10,
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
        )
        # One always-subscribed channel keeps the pub/sub connection open.
        self._channels: set[str] = {keepalive_channel}
        self._pubsub: PubSub | None = None
        self._listener: asyncio.Task[None] | None = None
        self._on_message: MessageHandler | None = None
        self._on_reconnect: ReconnectHandler | None = None
        self._connected = asyncio.Event()
        self._backlog: deque[tuple[str, bytes]] = deque(maxlen=_BACKLOG_MAX)
        self._tasks: set[asyncio.Task[None]] = set()
        self.reconnects = 0

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None:
        self._on_message = on_message
        self._on_reconnect = on_reconnect
        await self._connect()
        self._listener = asyncio.create_task(self._listen(), name="redis-broker-listener")

    async def close(self) -> None:
        for task in [*self._tasks, *([self._listener] if self._listener else [])]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await self._drop_pubsub()
        await self._redis.aclose()

    async def publish(self, channel: str, payload: bytes) -> None:
        try:
            await self._redis.publish(channel, payload)
        except RedisError as exc:
            self._backlog.append((channel, payload))
            raise BrokerUnavailable() from exc

    async def subscribe(self, channel: str) -> None:
        if channel in self._channels:
            return
        self._channels.add(channel)
        if self._pubsub is not None:
            with contextlib.suppress(*_DROPPED, RedisError):
                # On failure the listener reconnects and resubscribes all.
                await self._pubsub.subscribe(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)
        if self._pubsub is not None:
            with contextlib.suppress(*_DROPPED, RedisError):
                await self._pubsub.unsubscribe(channel)

    async def ping(self) -> None:
        try:
            await self._redis.ping()
        except RedisError as exc:
            raise BrokerUnavailable() from exc
        if not self._connected.is_set():
            raise BrokerUnavailable("The live-delivery link is reconnecting.")

    async def _connect(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(*sorted(self._channels))
        assert pubsub.connection is not None
        # Called on every later (re)connect of this pub/sub connection,
        # after redis-py has re-sent the subscriptions.
        pubsub.connection.register_connect_callback(self._on_connection_made)
        self._pubsub = pubsub
        self._connected.set()

    def _on_connection_made(self, _connection: Any) -> None:
        task = asyncio.get_running_loop().create_task(self._after_reconnect())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _after_reconnect(self) -> None:
        self.reconnects += 1
        log.info("broker_reconnected", channels=len(self._channels))
        with contextlib.suppress(*_DROPPED, RedisError):
            await self._flush_backlog()
        if self._on_reconnect is not None:
            await self._on_reconnect()

    async def _flush_backlog(self) -> None:
        while self._backlog:
            channel, payload = self._backlog[0]
            await self._redis.publish(channel, payload)
            self._backlog.popleft()

    async def _drop_pubsub(self) -> None:
        self._connected.clear()
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _listen(self) -> None:
        delay = 0.05
        while True:
            try:
                if self._pubsub is None:
                    await self._connect()
                    await self._after_reconnect()
                assert self._pubsub is not None
                message = await self._pubsub.get_message(timeout=1.0)
                delay = 0.05
                if self._backlog:
                    await self._flush_backlog()
                if message is None or message.get("type") != "message":
                    continue
                await self._dispatch(message)
            except asyncio.CancelledError:
                raise
            except (*_DROPPED, RedisError) as exc:
                log.warning("broker_link_lost", error=type(exc).__name__)
                await self._drop_pubsub()
                await asyncio.sleep(delay + random.uniform(0, delay))  # noqa: S311
                delay = min(delay * 2, 2.0)

    async def _dispatch(self, message: dict[str, Any]) -> None:
        if self._on_message is None:
            return
        channel = message["channel"]
        name = channel.decode() if isinstance(channel, bytes) else str(channel)
        try:
            await self._on_message(name, message["data"])
        except Exception:
            log.exception("broker_handler_failed")
