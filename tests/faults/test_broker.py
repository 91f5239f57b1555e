"""Redis, the doorbell between instances, fails: killed and restarted under
load, or cutting off a subscriber that fell behind. MongoDB stays the record,
so nothing is lost and every screen still gets one gapless order (DESIGN.md
section 4)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from redis.asyncio import Redis

from .conftest import MakeCluster
from .driver import ChatClient, wait_for
from .ledger import Ledger
from .scene import Load, finish, start_clients


@pytest.mark.timeout(90)
async def test_redis_killed_and_restarted_under_load(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """kill -9 of redis-server under load, then a restart: nothing lost, one order everywhere."""
    cluster = await make_cluster()
    clients = await start_clients(cluster, ledger)
    load = Load(clients, ledger, rate_per_s=30)
    await load.acked_more(45, "load before the kill")
    cluster.redis.stop(kill=True)
    await load.acked_more(60, "load while Redis is down")
    await asyncio.to_thread(cluster.redis.start)
    await wait_for(
        lambda: all(i.logged("broker_reconnected") for i in cluster.instances),
        15,
        "both instances back on Redis",
    )
    await load.acked_more(60, "load after the restart")
    await load.stop()
    assert all(i.logged("broker_link_lost") for i in cluster.instances)
    await finish(cluster, ledger, clients)


async def flood(client: ChatClient, until: Callable[[], bool]) -> None:
    """3 KB messages, one after the other, as fast as they are acknowledged."""
    index = 0
    while not until():
        await client.send(client.rooms[index % 2], f"flood:{client.name}:{index} " + "~" * 3000)
        index += 1


@pytest.mark.timeout(90)
async def test_slow_subscriber_cut_by_the_output_buffer_limit(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """An instance too slow to read its pub/sub link is cut by Redis; it catches up from MongoDB."""
    cluster = await make_cluster()
    redis = Redis.from_url(cluster.redis.url)
    try:
        await redis.config_set("client-output-buffer-limit", "pubsub 32kb 16kb 1")
    finally:
        await redis.aclose()
    clients = await start_clients(cluster, ledger)
    load = Load(clients, ledger, rate_per_s=20)
    await load.acked_more(30, "load before the stall")
    redis_log = cluster.redis.folder / "redis.log"

    ports = cluster.b.ports_to(cluster.redis.port)

    def cut() -> bool:
        """Redis logged closing one of B's connections for its buffer."""
        lines = redis_log.read_text().splitlines()
        return any(
            "output buffer limits" in line and f" addr=127.0.0.1:{port} " in line
            for line in lines
            for port in ports
        )

    # The slowest subscriber there is: B frozen (SIGSTOP) while A's members
    # talk, until the kernel buffers are full and Redis' own buffer overflows.
    cluster.b.freeze()
    try:
        floods = [asyncio.create_task(flood(c, cut)) for c in clients[0::2]]
        await wait_for(cut, 20, "Redis to cut B off")
    finally:
        cluster.b.thaw()
    await asyncio.gather(*floods)
    await wait_for(lambda: cluster.b.logged("broker_reconnected") > 0, 15, "B back on Redis")
    await load.acked_more(40, "load after the cut")
    await load.stop()
    await finish(cluster, ledger, clients)
