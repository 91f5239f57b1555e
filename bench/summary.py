"""Ours as ratios to the bare server and to python-socketio, and the targets
of issue 3 (floor and goals) judged on this run's figures."""

from __future__ import annotations

from typing import Any

from .plan import Plan

GOAL_OF_BARE = 0.5
GOAL_OVER_SOCKETIO = 2.0
GOAL_KB_PER_CONNECTION = 30.0
OURS = ("ours", "ours2")
PEERS = ("bare", "socketio")


def _ratio(ours: float | None, peer: float | None) -> float | None:
    if ours is None or peer is None or peer == 0:
        return None
    return round(ours / peer, 3)


def _equal_means(equal: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Per target, the mean over rounds of the equal-load figures."""
    means: dict[str, dict[str, float | None]] = {}
    for key in {row["target"] for row in equal}:
        rows = [row for row in equal if row["target"] == key]

        def mean(pick: Any, rows: list[dict[str, Any]] = rows) -> float | None:
            values = [v for v in (pick(r) for r in rows) if v is not None]
            return round(sum(values) / len(values), 4) if values else None

        means[key] = {
            "delivered_per_s": mean(lambda r: r["delivered_per_s"]),
            "p99_ms": mean(lambda r: r["delivery_latency"]["p99_ms"]),
            "ack_p99_ms": mean(lambda r: r["ack_latency"]["p99_ms"]),
            "cpu_s_per_1000_app": mean(lambda r: r["server_cpu_s_per_1000_deliveries"]["app"]),
            "cpu_s_per_1000_all": mean(lambda r: r["server_cpu_s_per_1000_deliveries"]["all"]),
        }
    return means


def summarize(plan: Plan, results: dict[str, Any]) -> dict[str, Any]:
    best = {row["target"]: row for row in results.get("max_rate", [])}
    equal = _equal_means(results.get("equal_load", []))
    memory = {row["target"]: row for row in results.get("idle_memory", [])}
    ratios: dict[str, dict[str, float | None]] = {}
    for ours in OURS:
        for peer in PEERS:
            if ours not in plan.targets or peer not in plan.targets:
                continue
            mine, theirs = equal.get(ours, {}), equal.get(peer, {})
            ratios[f"{ours}/{peer}"] = {
                "max_delivered_per_s": _ratio(
                    best.get(ours, {}).get("delivered_per_s"),
                    best.get(peer, {}).get("delivered_per_s"),
                ),
                "equal_load_p99": _ratio(mine.get("p99_ms"), theirs.get("p99_ms")),
                "equal_load_cpu_per_1000_app": _ratio(
                    mine.get("cpu_s_per_1000_app"), theirs.get("cpu_s_per_1000_app")
                ),
                "equal_load_cpu_per_1000_all": _ratio(
                    mine.get("cpu_s_per_1000_all"), theirs.get("cpu_s_per_1000_all")
                ),
                "kb_per_idle_connection": _ratio(
                    memory.get(ours, {}).get("kb_per_idle_connection"),
                    memory.get(peer, {}).get("kb_per_idle_connection"),
                ),
            }
    caveats = [
        f"{key}: highest rate {row['limited_by']} — ratios with it are bounds, not measurements"
        for key, row in best.items()
        if row["limited_by"] != "server"
    ]
    return {
        "equal_load_means": equal,
        "ratios": ratios,
        "caveats": caveats,
        "goals": _goals(
            plan, ratios, memory, results.get("floor", []), results.get("equal_load", [])
        ),
    }


def _floor_held(rate: float, floor: list[dict[str, Any]], equal: list[dict[str, Any]]) -> bool:
    """The floor holds when every step of the floor check (ours at the floor
    rate, several in a row) held, and no equal-load step of ours offered at or
    above the floor rate failed. Measured at its own rate: the best rate's
    confirmations sit at the knee of the curve, where a single pause decides,
    and say nothing about a rate far below it."""
    steps = [*floor, *(r for r in equal if r["offered_deliveries_per_s"] >= rate)]
    ours = [row for row in steps if row["target"] == "ours"]
    return bool(floor) and all(row["passed"] for row in ours)


def _worst_p99(floor: list[dict[str, Any]]) -> float | None:
    """The floor's figure: the highest p99 of its steps, ms."""
    values = [row["delivery_latency"].get("p99_ms") for row in floor]
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _goals(
    plan: Plan,
    ratios: dict[str, dict[str, float | None]],
    memory: dict[str, dict[str, Any]],
    floor: list[dict[str, Any]],
    equal: list[dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    of_bare = ratios.get("ours/bare", {}).get("max_delivered_per_s")
    over_sio = ratios.get("ours/socketio", {}).get("max_delivered_per_s")
    kb = memory.get("ours", {}).get("kb_per_idle_connection")

    def verdict(value: float | None, ok: bool) -> dict[str, Any]:
        return {"value": value, "met": None if value is None else ok}

    return {
        f"floor: p99 < 50 ms at {plan.floor_rate:,.0f} delivered/s": verdict(
            _worst_p99(floor), _floor_held(plan.floor_rate, floor, equal)
        ),
        "goal: >= 50 % of bare's highest rate": verdict(
            of_bare, of_bare is not None and of_bare >= GOAL_OF_BARE
        ),
        "goal: >= 2x python-socketio's highest rate": verdict(
            over_sio, over_sio is not None and over_sio >= GOAL_OVER_SOCKETIO
        ),
        "goal: <= 30 KB per idle connection": verdict(
            kb, kb is not None and kb <= GOAL_KB_PER_CONNECTION
        ),
    }
