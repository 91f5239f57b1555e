"""Clients misbehave: members that stop reading, and a reconnect storm.
The instance's memory stays bounded and everyone else keeps up; a thousand
sockets coming back at once all resume exactly (DESIGN.md section 4)."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import MakeCluster
from .driver import ChatClient, Sleeper
from .ledger import Ledger
from .scene import Load, finish

# About 57 KB of UTF-8 per message: volume adds up fast.
PAD = 19_000


@pytest.mark.timeout(120)
async def test_members_that_stop_reading_cost_bounded_memory(
    make_cluster: MakeCluster, ledger: Ledger
) -> None:
    """Members that stop reading are dropped, memory stays bounded, the others keep up."""
    cluster = await make_cluster(message_max_chars=20_000, outbox_max_frames=16)
    world = await cluster.circle(6)
    room = world.rooms["integration"]
    a, b = cluster.a, cluster.b
    first, second, *quiet = world.participants
    talkers = [
        ChatClient("c0", first, [room], [a.ws_url, b.ws_url], ledger),
        ChatClient("c1", second, [room], [b.ws_url, a.ws_url], ledger),
    ]
    await asyncio.gather(*(c.start() for c in talkers))
    samples: list[int] = []

    async def sample() -> None:
        while True:
            samples.append(a.rss())
            await asyncio.sleep(0.05)

    sampler = asyncio.create_task(sample())
    load = Load(talkers, ledger, rate_per_s=16, pad=PAD)
    await load.acked_more(40, "warm-up traffic")
    baseline = max(samples)
    sleepers = [await Sleeper.open(a.port, p.access, [room]) for p in quiet]
    mark = len(samples)
    count = 200
    await load.acked_more(count, "traffic past the sleepers", timeout=90)
    await load.stop()
    sampler.cancel()
    growth = max(samples[mark:]) - baseline
    volume = count * len(("€" * PAD).encode())
    mb = 1 << 20
    print(
        f"RSS of A: baseline {baseline / mb:.1f} MB, peak growth {growth / mb:.1f} MB "
        f"while {volume / mb:.1f} MB went past {len(sleepers)} sleepers"
    )
    assert await a.metric("ic_ws_slow_consumers_total") == len(sleepers)
    # Held for a sleeper: its outbox (16 frames, shared) and socket buffers,
    # never the whole stream it missed.
    assert growth < volume / 2
    await finish(cluster, ledger, talkers)
    for sleeper in sleepers:
        sleeper.close()
    assert ledger.figures is not None
    assert ledger.figures.errors == {}, "a talker waited more than 5 s for an ack"
