"""``python -m bench.probe``: one target at fixed offered rates, for profiling.

Starts the store (and Redis for ``ours2``), builds a world, connects one
target and runs one step per ``--rates`` value, printing delivered/s, p50/p99
and the servers' CPU seconds per 1,000 deliveries. With ``--pause-s`` it prints
the server pids and waits that many seconds before the steps, so a profiler
(``py-spy record --pid …``) can be attached.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from .machine import load_average
from .plan import Plan
from .processes import Cores, raise_nofile, run_fast
from .run import _start
from .sessions import Session
from .stack import DATABASE, DATABASE_TWO, Stack
from .sweeps import measure
from .world import Shape, build_world


async def _probe(args: argparse.Namespace, folder: Path) -> None:
    cores = Cores.plan(args.server_cores, args.generator_cores, args.service_cores)
    plan = Plan(rooms=args.rooms, members=args.members, step_s=args.step_s)
    stack = Stack(folder, cores)
    try:
        stack.start_store()
        if args.target in ("ours2", "socketio"):
            stack.start_broker()
        database = DATABASE_TWO if args.target == "ours2" else DATABASE
        world = await build_world(stack.settings(database), Shape(args.rooms, args.members, 0, 0))
        target = await _start(stack, args.target)
        session = await Session.open(target, world.rooms, cores.generators, folder / "gen.log")
        pids = {c.name: c.pid for c in stack.children}
        print(f"pids {pids}; load {load_average()}", file=sys.stderr, flush=True)
        await asyncio.sleep(args.pause_s)
        for rate in args.rates:
            measured = await measure(session, plan, rate)
            cpu = measured.step.cpu_per_1000()
            print(
                f"rate {rate:,.0f}: delivered {measured.step.delivered_per_s:,.0f}/s "
                f"p50 {measured.step.deliveries.summary()['p50_ms']} "
                f"p99 {measured.step.deliveries.summary()['p99_ms']} ms  "
                f"CPU s/1k app {cpu['app']} all {cpu['all']}  "
                f"cpu {measured.step.server_cpu_s}  load {load_average()}",
                flush=True,
            )
        await session.close()
    finally:
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.probe", description=__doc__)
    parser.add_argument("--target", default="ours")
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--step-s", type=float, default=5.0)
    parser.add_argument("--rates", type=float, nargs="+", default=[1000.0])
    parser.add_argument("--server-cores")
    parser.add_argument("--generator-cores")
    parser.add_argument("--service-cores")
    parser.add_argument("--pause-s", type=float, default=0.0)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    raise_nofile()
    folder = Path(tempfile.mkdtemp(prefix="ic-probe-"))
    try:
        run_fast(_probe(args, folder))
    finally:
        if args.keep:
            print(f"kept {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
