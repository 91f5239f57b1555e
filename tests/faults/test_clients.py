"""Clients misbehave: members that stop reading, and a reconnect storm.
The instance's memory stays bounded and everyone else keeps up; a thousand
sockets coming back at once all resume exactly (DESIGN.md section 4)."""

from __future__ import annotations

import asyncio
import resource
import time

import pytest

from tests.services import SLOW

from .conftest import MakeCluster
from .driver import ChatClient, LightSocket, Sleeper, wait_for
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


STORM_PER_MEMBER = 21  # × 8 members × 3 rooms × 2 programs = 1,008 sockets


def raise_open_files(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"needs {needed} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


@pytest.mark.timeout(120)
async def test_reconnect_storm(make_cluster: MakeCluster, ledger: Ledger) -> None:
    """A thousand sockets dropped at once, back within a second, all resume exactly."""
    raise_open_files(8192)  # inherited by the instances started next
    cluster = await make_cluster()
    urls = [cluster.a.ws_url, cluster.b.ws_url]
    writers: list[ChatClient] = []
    sockets: list[LightSocket] = []
    rooms: list[str] = []
    for program in range(2):
        world = await cluster.circle(6)
        circle = [world.rooms[kind] for kind in ("preparation", "integration", "community")]
        rooms += circle
        writers.append(
            ChatClient(
                f"w{program}",
                world.participants[0],
                circle,
                urls[program:] + urls[:program],
                ledger,
            )
        )
        for room_id in circle:
            for person in [world.admin, world.facilitator, *world.participants]:
                for _ in range(STORM_PER_MEMBER):
                    sockets.append(LightSocket(f"s{len(sockets)}", person.access, room_id, ledger))
    await asyncio.gather(*(w.start() for w in writers))
    opening = asyncio.Semaphore(50)

    async def first_connect(index: int, sock: LightSocket) -> None:
        async with opening:
            await sock.connect(urls[index % 2])
            await sock.joined.wait()

    await asyncio.gather(*(first_connect(i, s) for i, s in enumerate(sockets)))
    load = Load(writers, ledger, rate_per_s=20)
    await load.acked_more(30, "traffic to the joined sockets")
    for sock in sockets:
        sock.abort()
    await load.acked_more(20, "traffic while they are away")
    # The storm: every socket reconnects at once, to the other instance.
    lost = [ledger.lost(s.name) for s in sockets]
    started = time.monotonic()
    await asyncio.gather(*(s.resume(urls[(i + 1) % 2], lost[i]) for i, s in enumerate(sockets)))
    storm_s = time.monotonic() - started
    tries = [s.first_try_at for s in sockets]
    spread = max(tries) - min(tries)
    # About a second: opening a websockets connection costs this process
    # 0.3 ms of CPU, more when the machine is busy.
    assert spread < 2.0 * SLOW, f"the reconnects took {spread:.2f} s to set off"
    await load.acked_more(20, "traffic after the storm")
    await load.stop()
    heads = {room: len(events) for room, events in (await cluster.stored(rooms)).items()}
    await wait_for(
        lambda: all(s.last >= heads[s.room_id] for s in sockets), 60, "every socket to catch up"
    )
    await asyncio.gather(*(w.final_resume({r: heads[r] for r in w.rooms}) for w in writers))
    times = sorted(r.seconds or 0.0 for r in lost)
    print(
        f"{len(sockets)} sockets resumed in {storm_s:.2f} s: p50 {times[len(times) // 2]:.2f} s, "
        f"p90 {times[len(times) * 9 // 10]:.2f} s; all set off within {spread:.2f} s; "
        f"{sum(s.retries for s in sockets)} retried"
    )
    figures = await cluster.verify(ledger, rooms)
    assert figures.reconnects == len(sockets)
    await asyncio.gather(*(s.close() for s in sockets), *(w.stop() for w in writers))
