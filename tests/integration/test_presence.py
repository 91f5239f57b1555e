"""Presence across instances (server/broker/presence.py), run against the
memory store, Redis on a real redis-server and a real Redis Cluster."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from server.broker.factory import make_presence
from server.broker.presence import MemoryPresence, PresenceStore, refresh_forever
from tests.services import SLOW, RedisCluster, RedisServer

TTL_S = 1.0 * SLOW
MakeStore = Callable[[], PresenceStore]


@pytest.fixture(scope="module")
def presence_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisCluster]:
    cluster = RedisCluster(tmp_path_factory.mktemp("presence-cluster"))
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["memory", "redis", "cluster"])
async def make_store(request: pytest.FixtureRequest) -> AsyncIterator[MakeStore]:
    """Makes one store per instance, all on one shared backend."""
    prefix = "t" + uuid.uuid4().hex[:10]
    shared = MemoryPresence(ttl_s=TTL_S)
    made: list[PresenceStore] = []

    def make() -> PresenceStore:
        if request.param == "memory":
            return shared
        if request.param == "redis":
            url = request.getfixturevalue("redis_server").url
        else:
            url = ",".join(request.getfixturevalue("presence_cluster").urls)
        store = make_presence(url, cluster=request.param == "cluster", prefix=prefix, ttl_s=TTL_S)
        made.append(store)
        return store

    yield make
    for store in made:
        await store.close()


def room() -> str:
    return uuid.uuid4().hex[:12]


async def test_a_join_is_seen_from_every_instance(make_store: MakeStore) -> None:
    """A member who joins on one instance is online for all."""
    a, b = make_store(), make_store()
    here = room()
    await a.join(here, "robin", "instance-a")
    assert await a.online(here) == {"robin"}
    assert await b.online(here) == {"robin"}
    assert await b.online(room()) == set()


async def test_online_while_any_instance_has_them(make_store: MakeStore) -> None:
    """A member on two instances stays online until both let go."""
    a, b = make_store(), make_store()
    here = room()
    await a.join(here, "sky", "instance-a")
    await b.join(here, "sky", "instance-b")
    await b.join(here, "robin", "instance-b")
    await a.leave(here, "sky", "instance-a")
    assert await a.online(here) == {"sky", "robin"}
    await b.leave(here, "sky", "instance-b")
    assert await a.online(here) == {"robin"}


async def test_join_and_leave_are_idempotent(make_store: MakeStore) -> None:
    """Joining twice needs one leave; leaving twice, or unknown members, is harmless."""
    a = make_store()
    here = room()
    await a.join(here, "robin", "instance-a")
    await a.join(here, "robin", "instance-a")
    await a.leave(here, "robin", "instance-a")
    assert await a.online(here) == set()
    await a.leave(here, "robin", "instance-a")
    await a.leave(here, "nobody", "instance-a")
    assert await a.online(here) == set()


async def test_each_entry_expires_on_its_own(make_store: MakeStore) -> None:
    """An entry left unrefreshed expires after the TTL, though its room has fresher ones."""
    a, b = make_store(), make_store()
    here = room()
    await a.join(here, "robin", "instance-a")
    await asyncio.sleep(TTL_S * 0.6)
    await b.join(here, "sky", "instance-b")
    await asyncio.sleep(TTL_S * 0.6)
    assert await a.online(here) == {"sky"}


async def test_a_stopped_instance_members_expire(make_store: MakeStore) -> None:
    """Members of an instance that stops refreshing (kill -9) vanish within the TTL;
    those of one that refreshes stay."""
    a, b = make_store(), make_store()
    here, there, lonely = room(), room(), room()
    await a.join(here, "robin", "instance-a")
    await a.join(there, "robin", "instance-a")
    await a.join(here, "both", "instance-a")
    await b.join(here, "both", "instance-b")
    await b.join(here, "sky", "instance-b")
    await b.join(lonely, "ghost", "instance-b")  # a room no live instance touches
    killed_at = time.monotonic()
    keeper = asyncio.create_task(refresh_forever(a, "instance-a", TTL_S / 5))
    try:
        async with asyncio.timeout(3 * TTL_S):
            while "sky" in await a.online(here):
                await asyncio.sleep(0.05)
        assert time.monotonic() - killed_at >= TTL_S * 0.9
        await asyncio.sleep(TTL_S / 2)
        assert await b.online(here) == {"robin", "both"}
        assert await b.online(there) == {"robin"}
        assert await b.online(lonely) == set()
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)


async def test_forget_drops_an_instance_at_once(make_store: MakeStore) -> None:
    """A stopping instance's members go at once; other instances' stay."""
    a, b = make_store(), make_store()
    here, there = room(), room()
    await a.join(here, "robin", "instance-a")
    await a.join(there, "robin", "instance-a")
    await a.join(here, "both", "instance-a")
    await b.join(here, "both", "instance-b")
    await a.forget("instance-a")
    assert await b.online(here) == {"both"}
    assert await b.online(there) == set()
    await a.refresh("instance-a")
    assert await b.online(there) == set()


async def test_refresh_restores_presence_after_redis_restart(tmp_path: Path) -> None:
    """An instance's refresh writes its members again into a Redis that lost them."""
    server = RedisServer(tmp_path)
    server.start()
    store = make_presence(server.url, cluster=False, prefix="t", ttl_s=TTL_S)
    try:
        here = room()
        await store.join(here, "robin", "instance-a")
        server.stop(kill=True)
        server.start()
        assert await store.online(here) == set()
        await store.refresh("instance-a")
        assert await store.online(here) == {"robin"}
    finally:
        await store.close()
        server.stop()


async def test_instance_ids_cannot_hold_the_separator(redis_server: RedisServer) -> None:
    """Redis entries are '<instance>:<member>', so an instance id with ':' is refused."""
    store = make_presence(redis_server.url, cluster=False, prefix="t", ttl_s=TTL_S)
    try:
        with pytest.raises(ValueError, match="instance id"):
            await store.join(room(), "robin", "bad:id")
    finally:
        await store.close()
