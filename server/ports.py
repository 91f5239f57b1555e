"""Ports: the interfaces adapters implement.

The broker and presence have two adapters each (memory and Redis, plus
Redis Cluster), hence Protocols; the MongoDB stores are the only storage and
are used through their classes.
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


class PresenceStore(Protocol):
    """Join and leave are idempotent per (room, member, instance)."""

    async def join(self, room_id: str, member_id: str, instance_id: str) -> None: ...

    async def leave(self, room_id: str, member_id: str, instance_id: str) -> None: ...

    async def online(self, room_id: str) -> set[str]: ...

    async def refresh(self, instance_id: str) -> None: ...

    async def forget(self, instance_id: str) -> None:
        """Drop all of an instance's entries now (a graceful shutdown)."""
        ...

    async def close(self) -> None: ...
