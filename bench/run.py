"""One benchmark run, start to finish: store and broker, the people and rooms,
the four targets, memory while they are fresh, the load measurements, the summary."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

from .machine import describe, load_average
from .memory import idle_memory
from .plan import Plan
from .processes import Cores
from .sessions import Session
from .stack import DATABASE_TWO, LIMITS, Stack, Target
from .summary import summarize
from .sweeps import common_load, equal_load, find_max, floor_check, progress, room_sizes
from .world import Shape, World, build_world


async def _start(stack: Stack, key: str) -> Target:
    if key == "ours":
        return await stack.ours(key, 1, redis=False)
    if key == "ours2":
        return await stack.ours(key, 2, redis=True)
    if key == "bare":
        return await stack.bare(key)
    return await stack.socketio(key)


def _meta(plan: Plan, cores: Cores) -> dict[str, Any]:
    return {
        "kind": "quick smoke run" if plan.quick else "full run",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workload": f"{plan.rooms} rooms × {plan.members} members "
        f"({plan.rooms * plan.members:,} sockets), every member sending",
        "plan": dataclasses.asdict(plan),
        "cores": cores.describe(),
        "machine": describe(),
        "limits": LIMITS,
        "load_before": load_average(),
    }


async def run(plan: Plan, cores: Cores, folder: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"meta": _meta(plan, cores)}
    log = folder / "generators.log"
    stack = Stack(folder, cores)
    try:
        stack.start_store()
        if {"ours2", "socketio"} & set(plan.targets):
            stack.start_broker()
        progress(f"setup: {cores.describe()}; files in {folder}")
        shape = Shape(plan.rooms, plan.members, plan.sweep_rooms, max(plan.sizes, default=0))
        world = await build_world(stack.settings(), shape)
        results["setup"] = {"participants": world.participants, "seconds": world.seconds}
        progress(f"setup: {world.participants} participants in {world.seconds} s")
        # ours2's own people and rooms (see DATABASE_TWO): main workload only.
        world_two = world
        if "ours2" in plan.targets:
            main_only = Shape(plan.rooms, plan.members, 0, 0)
            world_two = await build_world(stack.settings(DATABASE_TWO), main_only)
            progress(f"setup: {world_two.participants} participants for ours2")
        targets = {key: await _start(stack, key) for key in plan.targets}
        results["targets"] = [
            {"key": t.key, "label": t.label, "instances": len(t.app)} for t in targets.values()
        ]
        results["idle_memory"] = await _memory(plan, cores, log, world, targets)
        await _load(plan, cores, log, world, world_two, targets, results)
    finally:
        stack.close()
    results["meta"]["load_after"] = load_average()
    results["summary"] = summarize(plan, results)
    return results


async def _load(
    plan: Plan,
    cores: Cores,
    log: Path,
    world: World,
    world_two: World,
    targets: dict[str, Target],
    results: dict[str, Any],
) -> None:
    sessions: list[Session] = []
    try:
        for target in targets.values():
            rooms = world_two.rooms if target.key == "ours2" else world.rooms
            session = await Session.open(target, rooms, cores.generators, log)
            progress(f"connected {target.label}: {session.connect}")
            sessions.append(session)
        results["connect"] = {s.target.key: s.connect for s in sessions}
        searches = [await find_max(s, plan) for s in sessions]
        results["max_rate"] = [search.to_dict() for search in searches]
        results["floor"] = [
            m.to_dict()
            for s in sessions
            if s.target.key == "ours"
            for m in await floor_check(s, plan)
        ]
        load = common_load(plan, searches)
        results["equal_load"] = [m.to_dict() for m in await equal_load(sessions, plan, load)]
    finally:
        for session in sessions:
            await session.close()

    async def open_sized(key: str, size: int) -> Session:
        rooms = world.programs[: plan.sweep_rooms]
        return await Session.open(targets[key], rooms, cores.generators, log, size)

    results["room_sizes"] = [m.to_dict() for m in await room_sizes(open_sized, plan)]


async def _memory(
    plan: Plan, cores: Cores, log: Path, world: World, targets: dict[str, Target]
) -> list[dict[str, Any]]:
    """Before any load, while the servers are fresh: ours (one instance) and bare."""
    found = []
    for key in ("ours", "bare"):
        if key in targets:
            progress(f"memory: {plan.idle_sockets} idle sockets on {targets[key].label}")
            found.append(
                await idle_memory(
                    targets[key], world.tokens(), plan.idle_sockets, cores.generators, log
                )
            )
    return found
