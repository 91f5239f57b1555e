"""Broker backends for the contract tests: the memory bus, a redis-server and
a Redis Cluster, each able to make brokers and to tell what the server sees."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

from redis.asyncio import Redis
from redis.asyncio import RedisCluster as ClusterClient
from redis.asyncio.cluster import ClusterNode

from server.broker.cluster import RedisClusterBroker
from server.broker.memory import MemoryBroker, MemoryBus
from server.broker.redis import RedisBroker
from server.ports import Broker
from tests.services import SLOW, RedisCluster, RedisServer


class Inbox:
    """What one broker delivered: messages in arrival order and reconnects."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, bytes]] = []
        self.entered: list[bytes] = []  # payloads the handler began on
        self.reconnects = 0
        self.gate: asyncio.Event | None = None  # if given, the handler waits for it
        self._changed = asyncio.Event()

    async def on_message(self, channel: str, payload: bytes) -> None:
        self.entered.append(payload)
        self._changed.set()
        if self.gate is not None:
            await self.gate.wait()
        self.messages.append((channel, payload))
        self._changed.set()

    async def on_reconnect(self) -> None:
        self.reconnects += 1
        self._changed.set()

    def on(self, channel: str) -> list[bytes]:
        return [payload for name, payload in self.messages if name == channel]

    async def wait_until(self, done: Callable[[], bool], timeout: float = 5) -> None:
        async with asyncio.timeout(timeout * SLOW):
            while not done():
                self._changed.clear()
                await self._changed.wait()

    async def wait_for(self, channel: str, count: int, timeout: float = 5) -> list[bytes]:
        await self.wait_until(lambda: len(self.on(channel)) >= count, timeout)
        return self.on(channel)


def new_channel(tag: str = "") -> str:
    """A fresh room channel; channels with one ``tag`` share a cluster slot."""
    room = f"{{{tag}}}:{uuid.uuid4().hex[:8]}" if tag else uuid.uuid4().hex[:8]
    return f"t{uuid.uuid4().hex[:10]}:room:{room}"


class Backend:
    """Makes started brokers on one shared backend and closes them after."""

    def __init__(self) -> None:
        self.brokers: list[Broker] = []
        self.keepalive = f"t{uuid.uuid4().hex[:10]}:keepalive"

    def make(self) -> Broker:
        raise NotImplementedError

    async def start(self) -> tuple[Broker, Inbox]:
        broker, inbox = self.make(), Inbox()
        await broker.start(inbox.on_message, inbox.on_reconnect)
        self.brokers.append(broker)
        return broker, inbox

    async def subscribers(self, channel: str) -> int:
        """How many subscribers the server itself counts on ``channel``."""
        raise NotImplementedError

    async def close(self) -> None:
        for broker in self.brokers:
            await broker.close()


class MemoryBackend(Backend):
    def __init__(self) -> None:
        super().__init__()
        self.bus = MemoryBus()

    def make(self) -> Broker:
        return MemoryBroker(self.bus)

    async def subscribers(self, channel: str) -> int:
        return len(self.bus.subscribers.get(channel, ()))


class NetworkBackend(Backend):
    """A backend on real servers, which the fault tests kill and restart."""

    async def node_for(self, channel: str) -> RedisServer:
        """The server that carries ``channel``."""
        raise NotImplementedError

    async def kill(self, channel: str) -> None:
        """Kill -9 the server that carries ``channel``."""
        raise NotImplementedError

    def restart(self) -> None:
        """Start what ``kill`` killed again, with its data folder."""
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class RedisBackend(NetworkBackend):
    def __init__(self, server: RedisServer) -> None:
        super().__init__()
        self.server = server

    def make(self) -> Broker:
        return RedisBroker(self.server.url, keepalive_channel=self.keepalive)

    async def subscribers(self, channel: str) -> int:
        async with Redis.from_url(self.server.url) as client:
            counts = await client.pubsub_numsub(channel)
        return int(counts[0][1])

    async def node_for(self, channel: str) -> RedisServer:
        return self.server

    async def kill(self, channel: str) -> None:
        self.server.stop(kill=True)

    def restart(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()


class ClusterBackend(NetworkBackend):
    def __init__(self, cluster: RedisCluster) -> None:
        super().__init__()
        self.cluster = cluster
        self.killed = -1

    def make(self) -> Broker:
        return RedisClusterBroker(self.cluster.urls, keepalive_channel=self.keepalive)

    async def owner(self, channel: str) -> int:
        """Index of the node that serves ``channel``'s hash slot."""
        nodes = [ClusterNode("127.0.0.1", node.port) for node in self.cluster.nodes]
        async with ClusterClient(startup_nodes=nodes) as client:
            owner = client.get_node_from_key(channel)
        assert owner is not None
        return [node.port for node in self.cluster.nodes].index(int(owner.port))

    async def subscribers(self, channel: str) -> int:
        node = self.cluster.nodes[await self.owner(channel)]
        async with Redis.from_url(node.url) as client:
            counts = await client.pubsub_shardnumsub(channel)
        return int(counts[0][1])

    async def node_for(self, channel: str) -> RedisServer:
        return self.cluster.nodes[await self.owner(channel)]

    async def kill(self, channel: str) -> None:
        self.killed = await self.owner(channel)
        self.cluster.nodes[self.killed].stop(kill=True)

    def restart(self) -> None:
        self.cluster.start_node(self.killed)

    def stop(self) -> None:
        self.cluster.stop()


def fresh_redis(folder: Path) -> RedisBackend:
    server = RedisServer(folder)
    server.start()
    return RedisBackend(server)


def fresh_cluster(folder: Path) -> ClusterBackend:
    cluster = RedisCluster(folder)
    cluster.start()
    return ClusterBackend(cluster)
