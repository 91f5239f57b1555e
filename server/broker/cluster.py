"""The Redis Cluster broker: sharded pub/sub (SSUBSCRIBE / SPUBLISH).

A sharded message travels only within the shard that owns its channel's
hash slot, so fan-out work stays on that shard instead of every node.
redis-py 8.1's asyncio ``ClusterPubSub`` can SSUBSCRIBE and even re-homes
channels after a slot moves, but ``get_sharded_message`` polls its per-node
connections in turn, each for the full read timeout (a message on the last
node waits out the others), and its quiet reconnects give no signal to
call ``on_reconnect`` on. So this broker keeps one link per node that owns
a wanted channel (link.py), SSUBSCRIBEs there one slot at a time, and
re-places channels after a link loss, a MOVED reply, or a node giving a slot
away (Redis then SUNSUBSCRIBEs its clients). SPUBLISH goes through
``RedisCluster``, which follows MOVED by itself.

Room channels ``{prefix}:room:{room_id}`` carry no hash tag, so rooms spread
over all shards; a tag such as ``{prefix}`` would put every room on one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from redis.asyncio import Redis, RedisCluster
from redis.asyncio.cluster import ClusterNode
from redis.asyncio.connection import SSLConnection, parse_url
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.crc import key_slot
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import SlotNotCoveredError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .link import SHARDED, Dialect
from .linked import LinkedBroker

_CLIENT_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Links never retry by themselves (see link.py); health checks find dead
# peers on quiet connections.
_LINK_OPTIONS: dict[str, Any] = {
    **_CLIENT_OPTIONS,
    "health_check_interval": 10,
    "retry": Retry(NoBackoff(), 0, supported_errors=()),
}


class RedisClusterBroker(LinkedBroker):
    """``RedisClusterBroker(["redis://a:6379", "redis://b:6379"], ...)``; one
    string may also list several URLs separated by commas. Credentials and
    TLS come from the first URL and apply to every node."""

    def __init__(self, urls: str | Sequence[str], *, keepalive_channel: str) -> None:
        nodes, shared = parse_cluster_urls(urls)
        self._cluster = RedisCluster(
            startup_nodes=nodes,
            # A few quick retries ride out a node restart or a failover.
            retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), 3),
            retry_on_error=[RedisConnectionError, RedisTimeoutError],
            **_CLIENT_OPTIONS,
            **shared,
        )
        super().__init__(
            _SlotRouter(self._cluster, {**_LINK_OPTIONS, **shared}),
            keepalive_channel=keepalive_channel,
        )

    async def _send(self, channel: str, payload: bytes) -> None:
        await self._cluster.spublish(channel, payload)

    async def _ping(self) -> None:
        await self._cluster.execute_command("PING", target_nodes=RedisCluster.PRIMARIES)

    async def _close_client(self) -> None:
        await self._cluster.aclose()


class _SlotRouter:
    """A channel lives on the primary that owns its hash slot."""

    dialect: Dialect = SHARDED

    def __init__(self, cluster: RedisCluster, link_options: dict[str, Any]) -> None:
        self._cluster = cluster
        self._link_options = link_options
        self._known = False

    def owner(self, channel: str) -> str:
        node = self._cluster.get_node_from_key(channel)
        if node is None:
            raise SlotNotCoveredError(f"No node serves {channel!r}")
        return node.name

    def connect(self, node: str) -> Redis:
        host, _, port = node.rpartition(":")
        return Redis(host=host, port=int(port), **self._link_options)

    def batches(self, channels: Iterable[str]) -> list[list[str]]:
        by_slot: defaultdict[int, list[str]] = defaultdict(list)
        for channel in channels:
            by_slot[key_slot(channel.encode())].append(channel)
        return list(by_slot.values())

    async def refresh(self) -> None:
        if self._known:
            await self._cluster.nodes_manager.initialize()
        else:
            await self._cluster.initialize()
            self._known = True


def parse_cluster_urls(urls: str | Sequence[str]) -> tuple[list[ClusterNode], dict[str, Any]]:
    """Startup nodes, and the options every node connection takes from the
    first URL (credentials, TLS); one string may list URLs with commas."""
    listed = urls.split(",") if isinstance(urls, str) else list(urls)
    parsed = [parse_url(url.strip()) for url in listed if url.strip()]
    if not parsed:
        raise ValueError("a Redis Cluster needs at least one node URL")
    nodes = [ClusterNode(str(p.get("host", "localhost")), int(p.get("port", 6379))) for p in parsed]
    shared: dict[str, Any] = dict(parsed[0])
    for key in ("host", "port", "db", "path"):
        shared.pop(key, None)
    if shared.pop("connection_class", None) is SSLConnection:
        shared["ssl"] = True
    return nodes, shared
