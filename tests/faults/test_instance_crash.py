"""A server instance dies (kill -9): nothing acknowledged is lost, its
clients resume on the other instance, and retried client ids are stored once
(DESIGN.md section 4: durability, idempotency, resume)."""

from __future__ import annotations

import asyncio

import pytest

from .cluster import Cluster
from .conftest import MakeCluster
from .driver import ChatClient, chatter, wait_for
from .ledger import Ledger


def acked(ledger: Ledger) -> int:
    return sum(1 for s in ledger.sends if s.acks)


async def start_clients(
    cluster: Cluster, ledger: Ledger, participants: int = 6
) -> list[ChatClient]:
    """Two rooms × ``participants`` members, alternately homed on A and B."""
    world = await cluster.circle(participants)
    rooms = [world.rooms["integration"], world.rooms["community"]]
    forward = [cluster.a.ws_url, cluster.b.ws_url]
    clients = [
        ChatClient(f"c{i}", person, rooms, forward if i % 2 == 0 else forward[::-1], ledger)
        for i, person in enumerate(world.participants)
    ]
    await asyncio.gather(*(c.start() for c in clients))
    return clients


async def finish(cluster: Cluster, ledger: Ledger, clients: list[ChatClient]) -> None:
    """Final resume of every client, then the checker."""
    rooms = clients[0].rooms
    heads = {room: len(events) for room, events in (await cluster.stored(rooms)).items()}
    await asyncio.gather(*(c.final_resume(heads) for c in clients))
    await cluster.verify(ledger, rooms)
    await asyncio.gather(*(c.stop() for c in clients))


@pytest.mark.timeout(90)
async def test_kill_instance_under_load(make_cluster: MakeCluster, ledger: Ledger) -> None:
    """kill -9 of a loaded instance loses no acked message; its clients resume on the other."""
    cluster = await make_cluster()
    clients = await start_clients(cluster, ledger)
    on_a = clients[0::2]
    stop = asyncio.Event()
    load = asyncio.create_task(chatter(clients, stop, rate_per_s=30))
    await wait_for(lambda: acked(ledger) >= 60, 20, "load before the kill")
    # A few sends each in flight on A when it dies: some stored, some not.
    burst = [
        asyncio.create_task(c.send(c.rooms[k % 2], f"burst:{c.name}:{k}"))
        for c in on_a
        for k in range(4)
    ]
    await wait_for(
        lambda: any(s.acks for s in ledger.sends if "burst" in s.body), 10, "a burst ack"
    )
    cluster.a.kill()
    at_kill = acked(ledger)
    await wait_for(lambda: acked(ledger) >= at_kill + 90, 30, "load after the kill")
    stop.set()
    await asyncio.gather(load, *burst)
    assert all(c.url == cluster.b.ws_url for c in on_a)
    assert len(ledger.reconnects) >= len(on_a)
    cut = [s for s in ledger.sends if "lost" in s.attempts]
    assert cut, "the kill hit no send in flight"
    await finish(cluster, ledger, clients)
