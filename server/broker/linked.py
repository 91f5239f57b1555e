"""The Broker port over self-repairing links and a publish backlog.

``RedisBroker`` and ``RedisClusterBroker`` differ only in where a channel
lives and which client publishes; this class holds what they share:
confirmed (un)subscribe, reconnect with ``on_reconnect``, and publishes that
fail while Redis is away kept (bounded) and re-sent in order.
"""

from __future__ import annotations

from ..domain.errors import BrokerUnavailable
from ..ports import MessageHandler, ReconnectHandler
from .backlog import Backlog
from .subscriptions import FAILURES, Router, Subscriptions


class LinkedBroker:
    def __init__(self, router: Router, *, keepalive_channel: str) -> None:
        # One always-wanted channel keeps a link open, so that a lost
        # server is noticed (and reported) even with no room subscribed.
        self._subscriptions = Subscriptions(router, [keepalive_channel])
        self._backlog = Backlog(self._send)

    @property
    def reconnects(self) -> int:
        return self._subscriptions.reconnects

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None:
        try:
            await self._subscriptions.start(on_message, on_reconnect, self._backlog.flush)
        except FAILURES as exc:
            await self._close_client()
            raise BrokerUnavailable() from exc

    async def close(self) -> None:
        await self._subscriptions.close()
        await self._close_client()

    async def publish(self, channel: str, payload: bytes) -> None:
        if self._subscriptions.lost:
            # Re-sent by the repair, once this broker is subscribed again.
            self._backlog.keep(channel, payload)
            raise BrokerUnavailable()
        if self._backlog:
            # Queue behind what is kept, so this publisher's order holds.
            self._backlog.keep(channel, payload)
            try:
                await self._backlog.flush()
            except FAILURES as exc:
                self._subscriptions.wake()
                raise BrokerUnavailable() from exc
            return
        try:
            await self._send(channel, payload)
        except FAILURES as exc:
            self._backlog.keep(channel, payload)
            self._subscriptions.wake()
            raise BrokerUnavailable() from exc

    async def subscribe(self, channel: str) -> None:
        await self._subscriptions.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        await self._subscriptions.remove(channel)

    async def ping(self) -> None:
        try:
            await self._ping()
        except FAILURES as exc:
            raise BrokerUnavailable() from exc
        if self._subscriptions.lost:
            raise BrokerUnavailable("The live-delivery link is reconnecting.")

    async def _send(self, channel: str, payload: bytes) -> None:
        raise NotImplementedError

    async def _ping(self) -> None:
        raise NotImplementedError

    async def _close_client(self) -> None:
        raise NotImplementedError
