"""``python -m bench [--quick] [options]``: run the benchmark, print the tables,
write every figure to a JSON file."""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import shutil
import tempfile
from pathlib import Path

import orjson

from .plan import TARGETS, Plan
from .processes import Cores, raise_nofile, run_fast
from .report import render
from .run import run


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run (about 2 minutes)")
    parser.add_argument("--rooms", type=int, help="rooms of the main workload (200)")
    parser.add_argument("--members", type=int, help="members per room (10)")
    parser.add_argument("--step-s", type=float, help="measured seconds per step (5)")
    parser.add_argument(
        "--equal-load", type=float, help="deliveries/s offered to all (80 %% of the lowest best)"
    )
    parser.add_argument("--search-start", type=float, help="first rate of the search (2000)")
    parser.add_argument("--search-steps", type=int, help="steps of the search (9)")
    parser.add_argument("--idle-sockets", type=int, help="sockets of the memory test (5000)")
    parser.add_argument("--targets", help=f"comma-separated subset of {','.join(TARGETS)} (all)")
    parser.add_argument("--server-cores", help="cores for every server process (first core)")
    parser.add_argument("--generator-cores", help="one generator process per core (the rest)")
    parser.add_argument(
        "--service-cores", help="cores for the store and redis-server (the generators')"
    )
    parser.add_argument("--json", type=Path, help="results file (data/bench/<time>.json)")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, store)")
    return parser


def _plan(args: argparse.Namespace) -> Plan:
    plan = Plan.quick_run() if args.quick else Plan()
    changes = {
        name: value
        for name, value in (
            ("rooms", args.rooms),
            ("members", args.members),
            ("step_s", args.step_s),
            ("equal_load", args.equal_load),
            ("search_start", args.search_start),
            ("search_steps", args.search_steps),
            ("idle_sockets", args.idle_sockets),
        )
        if value is not None
    }
    if args.targets:
        chosen = tuple(t.strip() for t in args.targets.split(",") if t.strip())
        unknown = set(chosen) - set(TARGETS)
        if unknown:
            raise SystemExit(f"unknown target(s): {', '.join(sorted(unknown))}")
        changes["targets"] = chosen
    return dataclasses.replace(plan, **changes)


def main() -> None:
    args = _parser().parse_args()
    plan = _plan(args)
    cores = Cores.plan(args.server_cores, args.generator_cores, args.service_cores)
    raise_nofile()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.json or Path("data") / "bench" / f"{stamp}.json"
    folder = Path(tempfile.mkdtemp(prefix="ic-bench-"))
    try:
        results = run_fast(run(plan, cores, folder))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    print(render(results))
    print(f"\nevery figure: {out}")


if __name__ == "__main__":
    main()
