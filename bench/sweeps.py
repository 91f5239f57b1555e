"""The measurements on connected sessions: every target at one equal load,
the highest rate each holds with p99 under the limit, and the room-size sweep."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .driver import Step
from .plan import Plan
from .sessions import Session
from .verdict import Verdict, judge

_STARTED = time.monotonic()


def progress(line: str) -> None:
    """A line on stderr as the run goes (stdout keeps the final tables)."""
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {line}", file=sys.stderr, flush=True)


@dataclass
class Measured:
    target: str
    step: Step
    verdict: Verdict
    room_size: int | None = None

    def to_dict(self) -> dict[str, Any]:
        size = {} if self.room_size is None else {"room_size": self.room_size}
        return {"target": self.target, **size, **self.step.to_dict(), **self.verdict.to_dict()}


async def measure(
    session: Session, plan: Plan, offered: float, step_s: float | None = None
) -> Measured:
    step = await session.step(plan, offered, step_s)
    verdict = judge(step, plan.p99_limit_ms)
    latency = step.deliveries.summary()
    progress(
        f"  {session.target.key:<9} offered {offered:>9,.0f}/s  "
        f"delivered {step.delivered_per_s:>9,.0f}/s"
        f"  p50 {latency['p50_ms']} ms  p99 {latency['p99_ms']} ms  "
        f"gen CPU {max(step.generator_cpu, default=0):.0%}  {verdict.reason}"
    )
    return Measured(session.target.key, step, verdict)


async def equal_load(sessions: list[Session], plan: Plan, load: float) -> list[Measured]:
    """Every target at the same offered load, in turns: A B C D A B C D …"""
    progress(f"equal load: {load:,.0f} deliveries/s, {plan.equal_rounds} round(s)")
    return [
        await measure(session, plan, load) for _ in range(plan.equal_rounds) for session in sessions
    ]


async def floor_check(session: Session, plan: Plan) -> list[Measured]:
    """The floor at its own rate: ``plan.floor_rounds`` steps in a row, each
    judged like any other (p99, everything delivered, no errors, on schedule)."""
    progress(
        f"floor: {session.target.label} at {plan.floor_rate:,.0f} deliveries/s, "
        f"{plan.floor_rounds} step(s)"
    )
    return [await measure(session, plan, plan.floor_rate) for _ in range(plan.floor_rounds)]


@dataclass
class Search:
    target: str
    steps: list[Measured] = field(default_factory=list)
    best: float | None = None  # highest offered rate that held
    confirmations: int = 0  # repeats of the best rate
    confirmed: int = 0  # confirmations that held too
    limited_by: str = "server"

    def held(self) -> list[Measured]:
        return [m for m in self.steps if m.verdict.passed and m.step.offered_per_s == self.best]

    def to_dict(self) -> dict[str, Any]:
        held = self.held()
        return {
            "target": self.target,
            "best_offered_per_s": self.best,
            "delivered_per_s": _mean([m.step.delivered_per_s for m in held]),
            "p99_ms": _mean([m.step.deliveries.percentile_ms(0.99) for m in held]),
            "ack_p99_ms": _mean([m.step.acks.percentile_ms(0.99) for m in held]),
            "cpu_s_per_1000_app": _mean([m.step.cpu_per_1000()["app"] for m in held]),
            "cpu_s_per_1000_all": _mean([m.step.cpu_per_1000()["all"] for m in held]),
            "confirmations": self.confirmations,
            "confirmed": self.confirmed,
            "limited_by": self.limited_by,
            "steps": [m.to_dict() for m in self.steps],
        }


def common_load(plan: Plan, searches: list[Search]) -> float:
    """The equal load: as planned, or 80 % of the lowest rate any target held."""
    if plan.equal_load is not None:
        return plan.equal_load
    held = [s.best for s in searches if s.best is not None]
    if not held:
        return plan.search_start / 4
    load = 0.8 * min(held)
    return float(f"{load:.2g}")


async def find_max(session: Session, plan: Plan) -> Search:
    """Multiply until a step fails, bisect (geometrically) to within the
    tolerance, then repeat the best rate ``plan.confirmations`` times."""
    progress(f"highest rate with p99 < {plan.p99_limit_ms:.0f} ms: {session.target.label}")
    search = Search(session.target.key)
    low: float | None = None
    high: float | None = None
    high_by_generator = False
    rate = plan.search_start
    for _ in range(plan.search_steps):
        measured = await measure(session, plan, rate)
        search.steps.append(measured)
        if _pause_only(measured) and plan.confirmations:
            # One pause (a collection, a neighbour's burst on the shared core)
            # must not decide the search: only a second failure counts.
            measured = await measure(session, plan, rate)
            search.steps.append(measured)
        if measured.verdict.passed:
            low = max(low or 0.0, rate)
        elif high is None or rate < high:
            high, high_by_generator = rate, measured.verdict.generator_bound
        if high is None:
            rate *= plan.search_factor
        elif low is None:
            rate /= plan.search_factor
        elif high / low <= plan.search_tolerance:
            break
        else:
            # Two significant digits: rounding to tens made 0 of rates below 5.
            rate = float(f"{math.sqrt(low * high):.2g}")
    search.best = low
    if high_by_generator:
        search.limited_by = "generator"
    elif high is None:
        search.limited_by = f"not reached in {plan.search_steps} steps"
    if low is not None:
        search.confirmations = plan.confirmations
        for _ in range(plan.confirmations):
            measured = await measure(session, plan, low)
            search.steps.append(measured)
            search.confirmed += measured.verdict.passed
    return search


def _pause_only(measured: Measured) -> bool:
    """Failed on its p99 alone: everything delivered, nothing cut short."""
    verdict = measured.verdict
    return verdict.latency_only and not verdict.generator_bound


async def room_sizes(
    open_session: Callable[[str, int], Awaitable[Session]], plan: Plan
) -> list[Measured]:
    """For each room size, every sweep target at a fixed per-room send rate."""
    progress(
        f"room sizes {plan.sizes}: {plan.sweep_rooms} rooms, "
        f"{plan.sweep_room_rate:g} sends/s per room"
    )
    results: list[Measured] = []
    for size in plan.sizes:
        for key in plan.sweep_targets:
            if key not in plan.targets:
                continue
            session = await open_session(key, size)
            try:
                offered = plan.sweep_rooms * plan.sweep_room_rate * size
                measured = await measure(session, plan, offered, plan.sweep_step_s)
                measured.room_size = size
                results.append(measured)
            finally:
                await session.close()
    return results


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 3) if present else None
