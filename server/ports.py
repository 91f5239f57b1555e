"""Ports: the interfaces adapters implement.

Only the broker has two adapters (memory and Redis) and so a Protocol; the
MongoDB stores are the only storage and are used through their classes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

# (channel, payload) for every message on a subscribed channel.
MessageHandler = Callable[[str, bytes], Coroutine[Any, Any, None]]
# Called after the broker reconnected and resubscribed: messages may have
# been missed, so every subscribed room must fill its gap from storage.
ReconnectHandler = Callable[[], Awaitable[None]]


class Broker(Protocol):
    """Rings the doorbell between instances; MongoDB stays the record."""

    async def start(self, on_message: MessageHandler, on_reconnect: ReconnectHandler) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, channel: str, payload: bytes) -> None: ...

    async def subscribe(self, channel: str) -> None: ...

    async def unsubscribe(self, channel: str) -> None: ...

    async def ping(self) -> None: ...
