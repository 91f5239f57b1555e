"""Members on both instances write to one room at the same moment: the seqs
are settled at the durable write, so every screen shows one gapless order
(DESIGN.md section 4: ordering, scale-out)."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from .conftest import MakeCluster
from .driver import ChatClient
from .ledger import Ledger

PER_SOCKET = 15


@pytest.mark.timeout(90)
async def test_concurrent_sends_through_both_instances_give_one_order(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """Concurrent sends to one room through both instances: one order, the same on every screen."""
    cluster = await make_cluster()
    world = await cluster.circle(6)
    room = world.rooms["integration"]
    people = [world.facilitator, *world.participants]
    # Each member on both instances: fourteen screens, all of them writing.
    clients = [
        ChatClient(f"{person.name}@{side}", person, [room], [url], ledger)
        for person in people
        for side, url in (("a", cluster.a.ws_url), ("b", cluster.b.ws_url))
    ]
    await asyncio.gather(*(c.start() for c in clients))

    async def burst(client: ChatClient) -> None:
        for index in range(PER_SOCKET):
            await client.send(room, f"{client.name} #{index}")

    await asyncio.gather(*(burst(c) for c in clients))
    head = len((await cluster.stored([room]))[room])
    assert head == PER_SOCKET * len(clients)
    await asyncio.gather(*(c.caught_up({room: head}) for c in clients))
    screens = {
        client.name: [m for s in ledger.segments if s.client == client.name for _, m in s.events]
        for client in clients
    }
    first = next(iter(screens.values()))
    assert all(order == first for order in screens.values())
    bodies = {s.acks[0].message_id: s.body for s in ledger.sends}
    for client in clients:  # each sender's messages keep the order it sent them in
        mine = [bodies[m] for m in first if bodies[m].startswith(client.name + " ")]
        assert mine == [f"{client.name} #{i}" for i in range(PER_SOCKET)]
    # The two instances really did write in between each other.
    sides = [s.client[-1] for s in sorted(ledger.sends, key=lambda s: s.acks[0].seq)]
    switches = sum(1 for x, y in itertools.pairwise(sides) if x != y)
    print(f"{head} messages; the writing instance changed {switches} times along the order")
    assert switches >= 10
    await asyncio.gather(*(c.final_resume({room: head}) for c in clients))
    await cluster.verify(ledger, [room])
    await asyncio.gather(*(c.stop() for c in clients))
