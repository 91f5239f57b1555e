"""The database fails: nx-27017 killed and restarted, or its link stalled.
Sends are refused with a clear code (or delayed) while it is away, nothing is
acknowledged that was not stored, and everything acknowledged survives
(DESIGN.md section 4, STYLE.md: no acknowledgement before the durable write)."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.services import SLOW

from .conftest import MakeCluster
from .driver import ChatClient, wait_for
from .ledger import Ledger
from .scene import Load, acked, finish, start_clients


def refusals(ledger: Ledger, code: str) -> int:
    return sum(s.attempts.count(code) for s in ledger.sends)


@pytest.mark.timeout(120)
async def test_database_killed_and_restarted(make_cluster: MakeCluster, ledger: Ledger) -> None:
    """While nx-27017 is down sends get storage_unavailable; every ack survives its restart."""
    cluster = await make_cluster()
    # Patient clients: every refusal is seen, however long it takes.
    clients = await start_clients(cluster, ledger, attempt_timeout=30)
    load = Load(clients, ledger, rate_per_s=30)
    await load.acked_more(60, "load before the kill")
    cluster.mongo.stop(kill=True)
    at_kill = acked(ledger)
    await wait_for(
        lambda: refusals(ledger, "storage_unavailable") >= 2 * len(clients),
        30,
        "sends refused with storage_unavailable",
    )
    acked_while_down = acked(ledger) - at_kill
    await cluster.mongo.start()
    await load.acked_more(60, "load after the restart", timeout=40)
    await load.stop()
    print(f"acked while the database was down: {acked_while_down}")
    # Anything but a clear, retryable refusal would leave the sender guessing.
    codes = {a for s in ledger.sends for a in s.attempts} - {"ack", "duplicate"}
    assert codes == {"storage_unavailable"}, codes
    await finish(cluster, ledger, clients)


@pytest.mark.timeout(90)
async def test_database_link_stalled(make_cluster: MakeCluster, ledger: Ledger) -> None:
    """A database link that stalls for seconds delays sends; nothing is lost or stored twice."""
    cluster = await make_cluster(stall_proxy=True)
    assert cluster.proxy is not None
    clients = await start_clients(cluster, ledger)
    load = Load(clients, ledger, rate_per_s=30)
    await load.acked_more(60, "load before the stall")
    cluster.proxy.pause()
    stalled_at = time.monotonic()
    at_stall = acked(ledger)
    # The fault itself lasts this long; nothing to wait for but the clock.
    await asyncio.sleep(12)
    acked_in_stall = acked(ledger) - at_stall
    cluster.proxy.resume()
    stalled_s = time.monotonic() - stalled_at
    await load.acked_more(60, "load after the stall", timeout=40)
    await load.stop()
    refused_yet_stored = [
        s for s in ledger.sends if "storage_unavailable" in s.attempts and s.acks[0].duplicate
    ]
    print(
        f"acked during the {stalled_s:.1f} s stall: {acked_in_stall}; "
        f"refused with storage_unavailable, yet stored: {len(refused_yet_stored)}"
    )
    assert acked_in_stall <= len(clients), "acks kept coming through a stalled database link"
    await finish(cluster, ledger, clients)


@pytest.mark.timeout(60)
async def test_refusals_come_within_seconds_while_the_database_is_down(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """With the database down, each sender in a circle is refused within seconds, not in turn."""
    cluster = await make_cluster(instances=1)
    world = await cluster.circle(4)
    room = world.rooms["integration"]
    clients = [
        ChatClient(f"c{i}", p, [room], [cluster.a.ws_url], ledger, attempt_timeout=30, give_up_s=1)
        for i, p in enumerate(world.participants)
    ]
    await asyncio.gather(*(c.start() for c in clients))
    # Warm: each member's access is cached and the room has a seq hint.
    await asyncio.gather(*(c.send(room, f"hello from {c.name}") for c in clients))
    cluster.mongo.stop(kill=True)
    records = await asyncio.gather(*(c.send(room, f"while down {c.name}") for c in clients))
    await asyncio.gather(*(c.stop() for c in clients))
    assert all(set(r.attempts) == {"storage_unavailable"} for r in records), records
    waits = sorted(round(wait, 1) for r in records for wait in r.refusal_s)
    print(f"refused after {waits} s")
    assert waits[-1] < 5 * SLOW, f"refusals queued one after another: {waits} s"
