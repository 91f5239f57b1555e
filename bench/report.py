"""The readable tables printed at the end of a run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value)


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def _steps(title: str, steps: Sequence[dict[str, Any]], labels: dict[str, str]) -> str:
    return table(
        title,
        [
            "target",
            "delivered/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "ack p50",
            "ack p99",
            "errors",
            "CPU s/1k app",
            "CPU s/1k all",
            "gen CPU",
            "result",
        ],
        [
            [
                labels.get(r["target"], r["target"]),
                r["delivered_per_s"],
                r["delivery_latency"]["p50_ms"],
                r["delivery_latency"]["p95_ms"],
                r["delivery_latency"]["p99_ms"],
                r["ack_latency"]["p50_ms"],
                r["ack_latency"]["p99_ms"],
                sum(r["errors"].values()),
                r["server_cpu_s_per_1000_deliveries"]["app"],
                r["server_cpu_s_per_1000_deliveries"]["all"],
                f"{max(r['generator_cpu_share'], default=0):.0%}",
                r["reason"],
            ]
            for r in steps
        ],
    )


def render(results: dict[str, Any]) -> str:
    meta = results["meta"]
    labels = {t["key"]: t["label"] for t in results.get("targets", [])}
    parts = [
        f"Integration Circles benchmark — {meta['kind']} — {meta['date']}",
        f"workload: {meta['workload']}",
        f"machine: {meta['machine']['summary']}; {meta['cores']}",
        f"load average before/after: {meta['load_before']} / {meta['load_after']}",
        f"setup: {results['setup']['participants']} participants in "
        f"{results['setup']['seconds']} s (service layer, before timing)",
        "limits raised so they cannot cap the run: "
        + ", ".join(f"{k}={v}" for k, v in meta["limits"].items()),
        "",
    ]
    equal = results.get("equal_load", [])
    if equal:
        title = f"Equal offered load ({equal[0]['offered_deliveries_per_s']:,.0f} deliveries/s)"
        parts.extend([_steps(title, equal, labels), ""])
    floor = results.get("floor", [])
    if floor:
        title = f"Floor check ({floor[0]['offered_deliveries_per_s']:,.0f} deliveries/s)"
        parts.extend([_steps(title, floor, labels), ""])
    best = results.get("max_rate", [])
    if best:
        parts.append(
            table(
                "Highest rate with p99 < 50 ms",
                [
                    "target",
                    "offered/s",
                    "delivered/s",
                    "p99 ms",
                    "ack p99",
                    "CPU s/1k app",
                    "CPU s/1k all",
                    "confirmed",
                    "limited by",
                ],
                [
                    [
                        labels.get(r["target"], r["target"]),
                        r["best_offered_per_s"],
                        r["delivered_per_s"],
                        r["p99_ms"],
                        r["ack_p99_ms"],
                        r["cpu_s_per_1000_app"],
                        r["cpu_s_per_1000_all"],
                        f"{r['confirmed']}/{meta['plan']['confirmations']}",
                        r["limited_by"],
                    ]
                    for r in best
                ],
            )
        )
        parts.append("")
    sweep = results.get("room_sizes", [])
    if sweep:
        plan = meta["plan"]
        parts.append(
            table(
                f"Room size ({plan['sweep_rooms']} rooms, "
                f"{plan['sweep_room_rate']:g} sends/s per room)",
                [
                    "size",
                    "target",
                    "delivered/s",
                    "p50 ms",
                    "p99 ms",
                    "ack p99",
                    "CPU s/1k app",
                    "CPU s/1k all",
                    "result",
                ],
                [
                    [
                        r["room_size"],
                        labels.get(r["target"], r["target"]),
                        r["delivered_per_s"],
                        r["delivery_latency"]["p50_ms"],
                        r["delivery_latency"]["p99_ms"],
                        r["ack_latency"]["p99_ms"],
                        r["server_cpu_s_per_1000_deliveries"]["app"],
                        r["server_cpu_s_per_1000_deliveries"]["all"],
                        r["reason"],
                    ]
                    for r in sweep
                ],
            )
        )
        parts.append("")
    memory = results.get("idle_memory", [])
    if memory:
        parts.append(
            table(
                "Memory per connection (server RSS delta / sockets)",
                [
                    "target",
                    "sockets",
                    "RSS before MB",
                    "idle MB",
                    "KB/idle conn",
                    "after 1 ping MB",
                    "KB/conn after ping",
                ],
                [
                    [
                        labels.get(r["target"], r["target"]),
                        r["connected"],
                        r["rss_before_mb"],
                        r["rss_idle_mb"],
                        r["kb_per_idle_connection"],
                        r["rss_after_ping_mb"],
                        r["kb_per_connection_after_ping"],
                    ]
                    for r in memory
                ],
            )
        )
        parts.append("")
    summary = results.get("summary", {})
    ratios = summary.get("ratios", {})
    if ratios:
        figures = next(iter(ratios.values())).keys()
        parts.append(
            table(
                "Ratios (ours ÷ peer; for throughput higher is better, for the rest lower)",
                ["figure", *ratios.keys()],
                [[figure, *(ratios[pair][figure] for pair in ratios)] for figure in figures],
            )
        )
        parts.extend(f"  caveat: {line}" for line in summary.get("caveats", []))
        parts.append("")
    goals = summary.get("goals", {})
    if goals:
        parts.append(
            table(
                "Issue 3 targets",
                ["target", "value", "met"],
                [[name, g["value"], g["met"]] for name, g in goals.items()],
            )
        )
    return "\n".join(parts)
