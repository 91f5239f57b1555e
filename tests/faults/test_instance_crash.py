"""A server instance dies (kill -9): nothing acknowledged is lost, its
clients resume on the other instance, and retried client ids are stored once
(DESIGN.md section 4: durability, idempotency, resume)."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from .conftest import MakeCluster
from .driver import ChatClient, wait_for
from .ledger import Ack, Ledger
from .scene import Load, finish, start_clients


@pytest.mark.timeout(90)
async def test_kill_instance_under_load(make_cluster: MakeCluster, ledger: Ledger) -> None:
    """kill -9 of a loaded instance loses no acked message; its clients resume on the other."""
    cluster = await make_cluster()
    clients = await start_clients(cluster, ledger)
    on_a = clients[0::2]
    load = Load(clients, ledger, rate_per_s=30)
    await load.acked_more(60, "load before the kill")
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
    await load.acked_more(90, "load after the kill")
    await load.stop()
    await asyncio.gather(*burst)
    assert all(c.url == cluster.b.ws_url for c in on_a)
    assert len(ledger.reconnects) >= len(on_a)
    cut = [s for s in ledger.sends if "lost" in s.attempts]
    assert cut, "the kill hit no send in flight"
    await finish(cluster, ledger, clients)


def acks_of(ledger: Ledger, client_id: str) -> list[Ack]:
    return [ack for s in ledger.sends if s.client_id == client_id for ack in s.acks]


@pytest.mark.timeout(90)
async def test_retried_client_ids_are_stored_once(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """A client id retried before the ack, after it, elsewhere or after a restart is stored once."""
    cluster = await make_cluster()
    world = await cluster.circle(2)
    room = world.rooms["integration"]
    robin, sky = world.participants
    on_a = ChatClient("robin@a", robin, [room], [cluster.a.ws_url], ledger)
    on_b = ChatClient("robin@b", robin, [room], [cluster.b.ws_url], ledger)
    reader = ChatClient("sky@b", sky, [room], [cluster.b.ws_url], ledger)
    clients = [on_a, on_b, reader]
    await asyncio.gather(*(c.start() for c in clients))

    # Before the ack: back to back on one socket, and at once through both instances.
    twice, both = str(uuid.uuid4()), str(uuid.uuid4())
    await asyncio.gather(on_a.send(room, "twice", twice), on_a.send(room, "twice", twice))
    await asyncio.gather(on_a.send(room, "both", both), on_b.send(room, "both", both))
    # After the ack: on the same socket, then through the other instance.
    after = str(uuid.uuid4())
    await on_a.send(room, "after", after)
    await on_a.send(room, "after", after)
    await on_b.send(room, "after", after)
    # After a restart: a pipelined burst cut by kill -9, retried on the restarted
    # instance by the client itself, then once more by hand.
    burst = [str(uuid.uuid4()) for _ in range(20)]
    sending = [asyncio.create_task(on_a.send(room, f"burst {i}", c)) for i, c in enumerate(burst)]
    await wait_for(lambda: any(acks_of(ledger, c) for c in burst), 10, "a burst ack")
    cluster.a.kill()
    acked_before = sum(1 for c in burst if acks_of(ledger, c))
    await cluster.a.start()
    await asyncio.gather(*sending)
    await asyncio.gather(*(on_a.send(room, f"burst {i}", c) for i, c in enumerate(burst)))

    for client_id in [twice, both, after, *burst]:
        acks = acks_of(ledger, client_id)
        assert len({(a.message_id, a.seq) for a in acks}) == 1, acks
        assert sum(not a.duplicate for a in acks) <= 1, acks
    for client_id in (twice, both, after):
        assert [a.duplicate for a in acks_of(ledger, client_id)].count(False) == 1
    assert acked_before < len(burst), "the kill came after every ack of the burst"
    stored_unseen = [c for c in burst if all(a.duplicate for a in acks_of(ledger, c))]
    print(f"burst: {acked_before} acked before the kill, {len(stored_unseen)} stored unacked")
    await finish(cluster, ledger, clients)
