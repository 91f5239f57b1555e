"""One broker contract (ports.Broker), run against every adapter: the memory
bus, RedisBroker on a real redis-server and RedisClusterBroker on a real
three-node Redis Cluster. The fault tests kill and restart real servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from server.domain.errors import BrokerUnavailable
from server.ports import Broker
from tests.services import SLOW, RedisCluster

from .brokers import (
    Backend,
    ClusterBackend,
    MemoryBackend,
    NetworkBackend,
    RedisBackend,
    fresh_cluster,
    fresh_redis,
    new_channel,
)


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisCluster]:
    cluster = RedisCluster(tmp_path_factory.mktemp("redis-cluster"))
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["memory", "redis", "cluster"])
async def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Backend]:
    chosen: Backend
    if request.param == "memory":
        chosen = MemoryBackend()
    elif request.param == "redis":
        chosen = RedisBackend(request.getfixturevalue("redis_server"))
    else:
        chosen = ClusterBackend(request.getfixturevalue("redis_cluster"))
    yield chosen
    await chosen.close()


@pytest.fixture(params=["redis", "cluster"])
async def faulty(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[NetworkBackend]:
    """A backend on servers of its own, free to be killed."""
    chosen = fresh_redis(tmp_path) if request.param == "redis" else fresh_cluster(tmp_path)
    yield chosen
    await chosen.close()
    chosen.stop()


async def test_publish_reaches_every_subscriber(backend: Backend) -> None:
    """A publish reaches each subscriber of its channel, the publisher's own included."""
    a, a_inbox = await backend.start()
    b, b_inbox = await backend.start()
    room, other = new_channel("same-slot"), new_channel("same-slot")
    await a.subscribe(room)
    await b.subscribe(room)
    await a.subscribe(other)
    await a.publish(other, b"only a")
    await a.publish(room, b"hello")
    assert await b_inbox.wait_for(room, 1) == [b"hello"]
    assert await a_inbox.wait_for(room, 1) == [b"hello"]
    assert a_inbox.on(other) == [b"only a"]
    assert b_inbox.messages == [(room, b"hello")]


async def test_order_per_publisher(backend: Backend) -> None:
    """Each publisher's messages on a channel arrive in the order it sent them."""
    a, _ = await backend.start()
    b, _ = await backend.start()
    c, c_inbox = await backend.start()
    room = new_channel()
    await c.subscribe(room)

    async def send(broker: Broker, name: bytes) -> None:
        for index in range(200):
            await broker.publish(room, name + b"%d" % index)

    await asyncio.gather(send(a, b"a"), send(b, b"b"))
    got = await c_inbox.wait_for(room, 400)
    assert len(got) == 400
    for name in (b"a", b"b"):
        assert [p for p in got if p.startswith(name)] == [name + b"%d" % i for i in range(200)]


async def test_unsubscribe_stops_delivery(backend: Backend) -> None:
    """Nothing published after unsubscribe returns is delivered."""
    a, _ = await backend.start()
    b, b_inbox = await backend.start()
    room = new_channel()
    await b.subscribe(room)
    assert await backend.subscribers(room) == 1
    await b.unsubscribe(room)
    assert await backend.subscribers(room) == 0
    await a.publish(room, b"missed")
    await b.subscribe(room)
    await a.publish(room, b"seen")
    assert await b_inbox.wait_for(room, 1) == [b"seen"]


async def test_unsubscribe_while_the_handler_is_busy(backend: Backend) -> None:
    """Unsubscribe returns while the handler is busy; what it had not begun is dropped."""
    a, _ = await backend.start()
    b, b_inbox = await backend.start()
    room, other = new_channel("same-slot"), new_channel("same-slot")
    await b.subscribe(room)
    await b.subscribe(other)
    b_inbox.gate = asyncio.Event()
    await a.publish(room, b"first")
    await a.publish(room, b"second")
    await b_inbox.wait_until(lambda: b_inbox.entered == [b"first"])
    async with asyncio.timeout(2 * SLOW):
        await b.unsubscribe(room)
    await a.publish(other, b"marker")
    b_inbox.gate.set()
    await b_inbox.wait_for(other, 1)
    assert b_inbox.messages == [(room, b"first"), (other, b"marker")]


async def test_subscribe_is_idempotent(backend: Backend) -> None:
    """Subscribing twice delivers once, and one unsubscribe undoes it."""
    a, _ = await backend.start()
    b, b_inbox = await backend.start()
    room = new_channel()
    await b.subscribe(room)
    await b.subscribe(room)
    assert await backend.subscribers(room) == 1
    await a.publish(room, b"one")
    await a.publish(room, b"two")
    assert await b_inbox.wait_for(room, 2) == [b"one", b"two"]
    await b.unsubscribe(room)
    assert await backend.subscribers(room) == 0


async def test_close_is_clean(backend: Backend) -> None:
    """Close ends the broker's tasks and subscriptions; a second close is harmless."""
    before = asyncio.all_tasks()
    broker, inbox = await backend.start()
    backend.brokers.remove(broker)
    room = new_channel()
    await broker.subscribe(room)
    assert await backend.subscribers(room) == 1
    await broker.close()
    await broker.close()
    assert await backend.subscribers(room) == 0
    await asyncio.sleep(0)
    assert asyncio.all_tasks() - before == set()
    other, _ = await backend.start()
    await other.publish(room, b"after close")
    await asyncio.sleep(0.05)
    assert inbox.messages == []


async def test_ping(backend: Backend) -> None:
    """Ping answers while the backend is up."""
    broker, _ = await backend.start()
    await broker.ping()


async def test_restart_reconnects_and_resubscribes(faulty: NetworkBackend) -> None:
    """After a kill -9 and restart, both brokers reconnect, resubscribe and say so."""
    a, a_inbox = await faulty.start()
    b, b_inbox = await faulty.start()
    room = new_channel()
    await a.subscribe(room)
    await b.subscribe(room)
    await faulty.kill(room)
    with pytest.raises(BrokerUnavailable):
        await b.ping()
    faulty.restart()
    await a_inbox.wait_until(lambda: a_inbox.reconnects >= 1, timeout=20)
    await b_inbox.wait_until(lambda: b_inbox.reconnects >= 1, timeout=20)
    assert await faulty.subscribers(room) == 2
    await a.publish(room, b"after")
    assert await b_inbox.wait_for(room, 1) == [b"after"]
    await b.ping()


async def test_publish_while_down_is_kept(faulty: NetworkBackend) -> None:
    """A publish while the server is down raises; it is re-sent after reconnect, in order."""
    a, a_inbox = await faulty.start()
    room = new_channel()
    await a.subscribe(room)
    await a.publish(room, b"before")
    await a_inbox.wait_for(room, 1)
    await faulty.kill(room)
    for payload in (b"kept-1", b"kept-2"):
        with pytest.raises(BrokerUnavailable):
            await a.publish(room, payload)
    faulty.restart()
    # Sent at once, before the broker noticed: it must queue behind the kept.
    with contextlib.suppress(BrokerUnavailable):
        await a.publish(room, b"after")
    await a_inbox.wait_until(lambda: a_inbox.reconnects >= 1, timeout=20)
    got = await a_inbox.wait_for(room, 4, timeout=20)
    assert got == [b"before", b"kept-1", b"kept-2", b"after"]


async def test_slow_subscriber_cut_reconnects(faulty: NetworkBackend) -> None:
    """A subscriber cut by the pubsub output-buffer limit reconnects and says so."""
    a, _ = await faulty.start()
    b, b_inbox = await faulty.start()
    room = new_channel()
    await b.subscribe(room)
    node = await faulty.node_for(room)
    async with Redis.from_url(node.url) as admin:
        await admin.config_set("client-output-buffer-limit", "pubsub 262144 0 0")
    b_inbox.gate = asyncio.Event()  # b's handler now blocks: it reads nothing
    chunk = b"x" * 65536
    for _ in range(200):
        await a.publish(room, chunk)
    log = node.folder / "redis.log"
    async with asyncio.timeout(10 * SLOW):
        while "output buffer limits" not in log.read_text():
            await asyncio.sleep(0.05)
    b_inbox.gate.set()
    await b_inbox.wait_until(lambda: b_inbox.reconnects >= 1, timeout=20)
    await a.publish(room, b"after the cut")
    await b_inbox.wait_until(lambda: b"after the cut" in b_inbox.on(room))
    assert len(b_inbox.on(room)) < 201


async def test_cluster_follows_a_moved_slot(tmp_path: Path) -> None:
    """When a channel's slot moves to another node, the subscription follows it."""
    backend = fresh_cluster(tmp_path)
    try:
        a, _ = await backend.start()
        b, b_inbox = await backend.start()
        room = new_channel()
        await b.subscribe(room)
        source = await backend.owner(room)
        target = (source + 1) % len(backend.cluster.nodes)
        backend.cluster.move_slot_of(room, source, target)
        await b_inbox.wait_until(lambda: b_inbox.reconnects >= 1, timeout=10)
        assert await backend.owner(room) == target
        assert await backend.subscribers(room) == 1
        await a.publish(room, b"moved")
        assert await b_inbox.wait_for(room, 1) == [b"moved"]
    finally:
        await backend.close()
        backend.stop()
