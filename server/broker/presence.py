"""Who is online in a room, across instances (ephemeral, DESIGN.md §4).

Presence is a set of (room, member, instance) entries: a member is online
in a room while any instance has them there. Each entry expires ``ttl_s``
after it was last written unless its instance refreshes it, so the members
of a killed instance vanish within ``ttl_s``; run ``refresh_forever`` with a
period of about a third of ``ttl_s``.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable

import structlog
from redis.asyncio import Redis, RedisCluster
from redis.exceptions import RedisClusterException, RedisError

from ..domain.errors import BrokerUnavailable
from ..ports import PresenceStore

log = structlog.get_logger(__name__)
_FAILURES = (RedisError, RedisClusterException, OSError)
_PIPELINE = 500  # commands per round trip when refreshing


async def refresh_forever(store: PresenceStore, instance_id: str, every_s: float) -> None:
    """Refresh ``instance_id``'s entries every ``every_s`` until cancelled."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await store.refresh(instance_id)
        except BrokerUnavailable:
            log.warning("presence_refresh_failed", instance=instance_id)


class MemoryPresence:
    """One process's presence; share one object between in-process instances."""

    def __init__(self, *, ttl_s: float = 15.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        # room → (instance, member) → expiry
        self._rooms: defaultdict[str, dict[tuple[str, str], float]] = defaultdict(dict)

    async def join(self, room_id: str, member_id: str, instance_id: str) -> None:
        self._rooms[room_id][(instance_id, member_id)] = self._clock() + self._ttl_s

    async def leave(self, room_id: str, member_id: str, instance_id: str) -> None:
        entries = self._rooms.get(room_id)
        if entries is not None:
            entries.pop((instance_id, member_id), None)
            if not entries:
                del self._rooms[room_id]

    async def online(self, room_id: str) -> set[str]:
        now = self._clock()
        entries = self._rooms.get(room_id, {})
        return {member for (_, member), expiry in entries.items() if expiry > now}

    async def refresh(self, instance_id: str) -> None:
        now = self._clock()
        expiry = now + self._ttl_s
        for room_id, entries in list(self._rooms.items()):
            for key, old in list(entries.items()):
                if key[0] == instance_id:
                    entries[key] = expiry
                elif old <= now:
                    del entries[key]
            if not entries:
                del self._rooms[room_id]

    async def forget(self, instance_id: str) -> None:
        for room_id, entries in list(self._rooms.items()):
            for key in [key for key in entries if key[0] == instance_id]:
                del entries[key]
            if not entries:
                del self._rooms[room_id]

    async def close(self) -> None:
        return None


class RedisPresence:
    """One sorted set per room, ``{prefix}:presence:{<room_id>}``, of
    ``<instance_id>:<member_id>`` scored by expiry (Unix time). Each instance
    remembers its own entries and rewrites them on ``refresh``, which also
    restores them after a Redis restart. The hash tag keeps a room's keys in
    one Cluster slot; the key itself expires once nobody refreshes it."""

    def __init__(self, client: Redis | RedisCluster, *, prefix: str, ttl_s: float = 15.0) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl_s = ttl_s
        self._mine: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
        self._lock = asyncio.Lock()  # a refresh never re-adds a concurrent leave

    def key(self, room_id: str) -> str:
        return f"{self._prefix}:presence:{{{room_id}}}"

    async def join(self, room_id: str, member_id: str, instance_id: str) -> None:
        if ":" in instance_id:
            raise ValueError("an instance id cannot contain ':'")
        async with self._lock:
            self._mine[instance_id].add((room_id, member_id))
            await self._write([(room_id, f"{instance_id}:{member_id}")], time.time())

    async def leave(self, room_id: str, member_id: str, instance_id: str) -> None:
        async with self._lock:
            self._mine[instance_id].discard((room_id, member_id))
            try:
                await self._client.zrem(self.key(room_id), f"{instance_id}:{member_id}")
            except _FAILURES as exc:
                raise BrokerUnavailable() from exc

    async def online(self, room_id: str) -> set[str]:
        try:
            entries = await self._client.zrangebyscore(self.key(room_id), time.time(), "+inf")
        except _FAILURES as exc:
            raise BrokerUnavailable() from exc
        names = [e.decode() if isinstance(e, bytes) else str(e) for e in entries]
        return {name.partition(":")[2] for name in names}

    async def refresh(self, instance_id: str) -> None:
        async with self._lock:
            entries = [
                (room, f"{instance_id}:{member}") for room, member in self._mine[instance_id]
            ]
            await self._write(entries, time.time())

    async def forget(self, instance_id: str) -> None:
        async with self._lock:
            mine = self._mine.pop(instance_id, set())
            try:
                for chunk in _chunks(sorted(mine)):
                    pipe = self._client.pipeline(transaction=False)
                    for room_id, member_id in chunk:
                        pipe.zrem(self.key(room_id), f"{instance_id}:{member_id}")
                    await pipe.execute()
            except _FAILURES as exc:
                raise BrokerUnavailable() from exc

    async def close(self) -> None:
        await self._client.aclose()

    async def _write(self, entries: list[tuple[str, str]], now: float) -> None:
        """Set each entry's expiry, extend its key's, drop expired entries."""
        ttl_ms = int(self._ttl_s * 1000)
        try:
            for chunk in _chunks(entries):
                pipe = self._client.pipeline(transaction=False)
                for room_id, entry in chunk:
                    key = self.key(room_id)
                    pipe.zadd(key, {entry: now + self._ttl_s})
                    pipe.zremrangebyscore(key, "-inf", now)
                    pipe.pexpire(key, ttl_ms)
                await pipe.execute()
        except _FAILURES as exc:
            raise BrokerUnavailable() from exc


def _chunks(items: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    return [items[i : i + _PIPELINE] for i in range(0, len(items), _PIPELINE)]
