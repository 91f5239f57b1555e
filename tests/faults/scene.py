"""The common scene of the load faults: one program, two rooms (integration
and community) and six participants each on one socket to both rooms,
alternately homed on instance A and B, chatting at a modest rate."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .cluster import Cluster
from .driver import ChatClient, chatter, wait_for
from .ledger import Ledger


def acked(ledger: Ledger) -> int:
    return sum(1 for s in ledger.sends if s.acks)


async def start_clients(
    cluster: Cluster, ledger: Ledger, participants: int = 6, attempt_timeout: float = 5.0
) -> list[ChatClient]:
    """Two rooms × ``participants`` members; even ones on A, odd ones on B,
    each failing over to the other instance. A send attempt without a reply
    within ``attempt_timeout`` is sent again (same client id)."""
    world = await cluster.circle(participants)
    rooms = [world.rooms["integration"], world.rooms["community"]]
    forward = [cluster.a.ws_url, cluster.b.ws_url]
    clients = [
        ChatClient(
            f"c{i}",
            person,
            rooms,
            forward if i % 2 == 0 else forward[::-1],
            ledger,
            attempt_timeout=attempt_timeout,
        )
        for i, person in enumerate(world.participants)
    ]
    await asyncio.gather(*(c.start() for c in clients))
    return clients


class Load:
    """``chatter`` in the background, with waits on the acknowledged count."""

    def __init__(
        self, clients: Sequence[ChatClient], ledger: Ledger, rate_per_s: float, pad: int = 0
    ) -> None:
        self.ledger = ledger
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(
            chatter(clients, self._stop, rate_per_s=rate_per_s, pad=pad)
        )

    async def acked_more(self, count: int, what: str, timeout: float = 30.0) -> None:
        """Until ``count`` more messages than now are acknowledged."""
        goal = acked(self.ledger) + count
        await wait_for(lambda: acked(self.ledger) >= goal or self._task.done(), timeout, what)
        if self._task.done():
            self._task.result()

    async def stop(self) -> None:
        self._stop.set()
        await self._task


async def finish(cluster: Cluster, ledger: Ledger, clients: Sequence[ChatClient]) -> None:
    """Final resume of every client, then the checker; the clients stop."""
    rooms = clients[0].rooms
    heads = {room: len(events) for room, events in (await cluster.stored(rooms)).items()}
    await asyncio.gather(*(c.final_resume(heads) for c in clients))
    await cluster.verify(ledger, rooms)
    await asyncio.gather(*(c.stop() for c in clients))
