"""A target with its sockets connected: the unit every measurement runs on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .driver import Generators, SocketSpec, Step
from .meter import Meter
from .plan import Plan
from .stack import Target
from .world import Room


def sockets_for(
    target: Target, rooms: Sequence[Room], size: int | None = None
) -> list[list[SocketSpec]]:
    """Each room's members, spread over the target's instances member by member
    (so with two instances every room spans both)."""
    urls = target.ws_urls
    token = target.wire == "ours"
    return [
        [
            (urls[index % len(urls)], room.room_id, member if token else "")
            for index, member in enumerate(room.tokens[:size])
        ]
        for room in rooms
    ]


@dataclass
class Session:
    target: Target
    generators: Generators
    meter: Meter
    members: int
    connect: dict[str, Any]

    @classmethod
    async def open(
        cls,
        target: Target,
        rooms: Sequence[Room],
        cores: tuple[int, ...],
        log: Path,
        size: int | None = None,
    ) -> Session:
        specs = sockets_for(target, rooms, size)
        generators, report = await Generators.open(target.wire, specs, cores, log)
        if report["failed"]:
            await generators.close()
            raise RuntimeError(
                f"{target.label}: {report['failed']} of {report['sockets']} sockets failed "
                f"to connect; first: {report['first_error']}"
            )
        members = len(specs[0]) if specs else 0
        return cls(target, generators, Meter(target), members, report)

    async def step(self, plan: Plan, offered_per_s: float, step_s: float | None = None) -> Step:
        return await self.generators.step(
            self.meter,
            offered_per_s,
            self.members,
            (plan.warmup_s, plan.warmup_cap_s),
            plan.step_s if step_s is None else step_s,
            plan.drain_s,
        )

    async def close(self) -> None:
        await self.generators.close()
