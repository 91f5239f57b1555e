"""The Redis broker (redis-py asyncio). Redis only rings the doorbell.

redis-py's pub/sub does not reconnect by itself: the listener notices a
dropped connection (a Redis restart, or an output-buffer cut of a slow
subscriber), reconnects with jittered backoff, resubscribes every channel and
then calls ``on_reconnect`` so the hub fills each room's gap from MongoDB
before new events are delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from ..domain.errors import BrokerUnavailable
from ..ports import MessageHandler, ReconnectHandler

log = structlog.get_logger(__name__)
_DROPPED = (RedisConnectionError, RedisTimeoutError, OSError, ConnectionError)


class RedisBroker:
    def __init__(self, url: str, *, keepalive_channel: str) -> None:
        self._redis = Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, health_check_interval=10
        )
        # One always-subscribed channel keeps the pub/sub connection open.
        self._channels: set[str] = {keepalive_channel}
        self._pubsub: PubSub | None = None
        self._listener: asyncio.Task[None] | None = None
        self._on_message: MessageHandler | None = None
        self._on_reconnect: ReconnectHandler | None = None
        self._connected = asyncio.Event()
        self.reconnects = 0

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None:
        self._on_message = on_message
        self._on_reconnect = on_reconnect
        await self._connect()
        self._listener = asyncio.create_task(self._listen(), name="redis-broker-listener")

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._drop_pubsub()
        await self._redis.aclose()

    async def publish(self, channel: str, payload: bytes) -> None:
        try:
            await self._redis.publish(channel, payload)
        except RedisError as exc:
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
        self._pubsub = pubsub
        self._connected.set()

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
                    self.reconnects += 1
                    log.info("broker_reconnected", channels=len(self._channels))
                    if self._on_reconnect is not None:
                        await self._on_reconnect()
                assert self._pubsub is not None
                message = await self._pubsub.get_message(timeout=1.0)
                delay = 0.05
                if message is None or message.get("type") != "message":
                    continue
                if self._on_message is not None:
                    channel = message["channel"]
                    name = channel.decode() if isinstance(channel, bytes) else str(channel)
                    try:
                        await self._on_message(name, message["data"])
                    except Exception:
                        log.exception("broker_handler_failed")
            except asyncio.CancelledError:
                raise
            except (*_DROPPED, RedisError) as exc:
                log.warning("broker_link_lost", error=type(exc).__name__)
                await self._drop_pubsub()
                await asyncio.sleep(delay + random.uniform(0, delay))  # noqa: S311
                delay = min(delay * 2, 2.0)
