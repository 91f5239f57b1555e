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

# Priming: every socket sends once at this rate (at most), over at least _PRIME_MIN_S.
_PRIME_SENDS_PER_S = 300.0
_PRIME_MIN_S = 1.0


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
        session = cls(target, generators, Meter(target), members, report)
        session.connect["prime_s"] = await session.prime()
        return session

    async def prime(self) -> float:
        """Every socket sends once, slowly, before anything is measured.

        A target's first message in a room or program may pay one-time costs
        (ours: the program's data key is made, the room's head is read), which
        no later step pays again; without this, whichever step comes first
        carries them and can fall a backlog behind in its warm-up. The same
        for every target; not measured."""
        sockets = sum(self.generators.sockets)
        if not sockets or not self.members:
            return 0.0
        send_rate = min(_PRIME_SENDS_PER_S, sockets / _PRIME_MIN_S)
        seconds = 1.1 * sockets / send_rate
        step = await self.generators.step(
            self.meter, send_rate * self.members, self.members, (seconds, seconds), 0.2, 0.5
        )
        return round(seconds + step.quiet_s, 1)

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
