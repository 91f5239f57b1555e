"""Resident memory per idle connection: a fresh server's RSS before and after
N signed-in sockets that joined nothing, and again after one request/reply on
each (buffers grow once used)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .driver import Generators, SocketSpec
from .meter import Meter
from .stack import Target

_GROUP = 100  # sockets per group dealt to the generators
_SETTLE_S = 2.0


async def idle_memory(
    target: Target, tokens: Sequence[str], count: int, cores: tuple[int, ...], log: Path
) -> dict[str, Any]:
    meter = Meter(target)
    url = target.ws_urls[0]
    supply = itertools.cycle(tokens if target.wire == "ours" else [""])
    # A few sockets first, so what every server allocates once is not counted.
    warm, _ = await Generators.open(target.wire, [_specs(url, supply, 20)], cores, log, join=False)
    await warm.close()
    await asyncio.sleep(_SETTLE_S)
    before = meter.rss()
    groups = [_specs(url, supply, min(_GROUP, count - n)) for n in range(0, count, _GROUP)]
    generators, report = await Generators.open(target.wire, groups, cores, log, join=False)
    try:
        await asyncio.sleep(_SETTLE_S)
        idle = meter.rss()
        ping = await generators.ping(timeout_s=60)
        await asyncio.sleep(_SETTLE_S)
        used = meter.rss()
    finally:
        await generators.close()
    connected = max(int(report["connected"]), 1)
    return {
        "target": target.key,
        "sockets": count,
        "connected": report["connected"],
        "failed": report["failed"],
        "connect_seconds": report["seconds"],
        "rss_before_mb": round(before / 2**20, 1),
        "rss_idle_mb": round(idle / 2**20, 1),
        "rss_after_ping_mb": round(used / 2**20, 1),
        "kb_per_idle_connection": round((idle - before) / connected / 1024, 1),
        "kb_per_connection_after_ping": round((used - before) / connected / 1024, 1),
        "pings_answered": ping["answered"],
    }


def _specs(url: str, tokens: itertools.cycle[str], count: int) -> list[SocketSpec]:
    return [(url, "", next(tokens)) for _ in range(count)]
