"""Ours as ratios to the bare server and to python-socketio, and the targets
of issue 3 (floor and goals) judged on this run's figures."""

from __future__ import annotations

from typing import Any

from .plan import Plan

FLOOR_RATE = 5000.0  # delivered messages/s with p99 < 50 ms on this 2-core machine
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
        "goals": _goals(best, ratios, memory, results.get("equal_load", [])),
    }


def _floor_held(ours: dict[str, Any], equal: list[dict[str, Any]]) -> bool:
    """The floor holds when ours' best rate reaches it, at least one of its
    confirmations held too (one lucky step is not a rate), and no equal-load
    step offered at or above the floor failed."""
    best = ours.get("delivered_per_s")
    if best is None or best < FLOOR_RATE:
        return False
    confirmed = ours.get("confirmed", 0)
    if ours.get("confirmations", 1) and not confirmed:
        return False
    return all(
        row["passed"]
        for row in equal
        if row["target"] == "ours" and row["offered_deliveries_per_s"] >= FLOOR_RATE
    )


def _goals(
    best: dict[str, dict[str, Any]],
    ratios: dict[str, dict[str, float | None]],
    memory: dict[str, dict[str, Any]],
    equal: list[dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    ours_best = best.get("ours", {}).get("delivered_per_s")
    of_bare = ratios.get("ours/bare", {}).get("max_delivered_per_s")
    over_sio = ratios.get("ours/socketio", {}).get("max_delivered_per_s")
    kb = memory.get("ours", {}).get("kb_per_idle_connection")

    def verdict(value: float | None, ok: bool) -> dict[str, Any]:
        return {"value": value, "met": None if value is None else ok}

    return {
        f"floor: p99 < 50 ms at {FLOOR_RATE:,.0f} delivered/s": verdict(
            ours_best, _floor_held(best.get("ours", {}), equal)
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
