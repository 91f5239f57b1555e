"""The driver's side of the load generators: start one pinned process per
generator core, hand each whole rooms, run steps on all of them at once while
reading the servers' CPU, and add their answers up."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from .histogram import Histogram
from .meter import Meter, cpu_between
from .processes import pinned

# (url, room id, token) for one socket
SocketSpec = tuple[str, str, str]


@dataclass
class Step:
    """What one step at one offered rate gave, all generators together."""

    offered_per_s: float  # offered deliveries per second
    send_rate: float  # sends per second
    seconds: float
    sent: int = 0
    scheduled: int = 0
    expected: int = 0
    late: int = 0
    max_lag_ms: float = 0.0
    deliveries: Histogram = field(default_factory=Histogram)
    acks: Histogram = field(default_factory=Histogram)
    errors: dict[str, int] = field(default_factory=dict)
    closed: int = 0
    aborted: bool = False  # a generator stopped sending: the target fell a backlog behind
    unanswered: int = 0  # sends still unanswered after the drain and the quiet wait
    quiet_s: float = 0.0  # how long the target took to answer everything after the step
    generator_cpu: list[float] = field(default_factory=list)  # share of a core, per process
    generator_system: list[float] = field(default_factory=list)  # of which in the kernel
    server_cpu_s: dict[str, float] = field(default_factory=dict)

    @property
    def delivered_per_s(self) -> float:
        return self.deliveries.total / self.seconds

    def cpu_per_1000(self) -> dict[str, float | None]:
        """Server CPU seconds per 1,000 deliveries: the app alone and with store + broker."""
        if not self.deliveries.total:
            return {"app": None, "all": None}
        per = 1000.0 / self.deliveries.total
        app = self.server_cpu_s.get("app", 0.0)
        return {
            "app": round(app * per, 4),
            "all": round(sum(self.server_cpu_s.values()) * per, 4),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "offered_deliveries_per_s": round(self.offered_per_s, 1),
            "offered_sends_per_s": round(self.send_rate, 1),
            "seconds": self.seconds,
            "sent": self.sent,
            "scheduled": self.scheduled,
            "late_sends": self.late,
            "max_send_lag_ms": self.max_lag_ms,
            "expected_deliveries": self.expected,
            "deliveries": self.deliveries.total,
            "delivered_per_s": round(self.delivered_per_s, 1),
            "delivery_latency": self.deliveries.summary(),
            "acks": self.acks.total,
            "ack_latency": self.acks.summary(),
            "errors": self.errors,
            "sockets_closed": self.closed,
            "aborted_backlog": self.aborted,
            "unanswered_after": self.unanswered,
            "quiet_after_s": self.quiet_s,
            "generator_cpu_share": self.generator_cpu,
            "generator_system_share": self.generator_system,
            "server_cpu_s": self.server_cpu_s,
            "server_cpu_s_per_1000_deliveries": self.cpu_per_1000(),
        }


class Generators:
    def __init__(self, processes: list[asyncio.subprocess.Process], sockets: list[int]) -> None:
        self.processes = processes
        self.sockets = sockets  # connected sockets per process

    @classmethod
    async def open(
        cls,
        wire: str,
        rooms: list[list[SocketSpec]],
        cores: tuple[int, ...],
        log: Path,
        *,
        join: bool = True,
        concurrency: int = 64,
    ) -> tuple[Generators, dict[str, Any]]:
        """Connect every socket; rooms are dealt out whole, one generator per core."""
        shares: list[list[SocketSpec]] = [[] for _ in cores]
        for index, room in enumerate(rooms):
            shares[index % len(cores)].extend(room)
        processes: list[asyncio.subprocess.Process] = []
        with _append(log) as errors:
            for number, (core, share) in enumerate(zip(cores, shares, strict=True)):
                if not share:
                    continue
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bench.loadgen",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=errors,
                    preexec_fn=pinned(frozenset({core})),
                    limit=1 << 24,
                )
                processes.append(process)
                hello = {
                    "generator": number,
                    "wire": wire,
                    "sockets": share,
                    "join": join,
                    "concurrency": concurrency,
                }
                _write(process, hello)
        replies = await asyncio.gather(*(_read(p) for p in processes))
        generators = cls(processes, [int(r["connected"]) for r in replies])
        report = {
            "sockets": sum(len(room) for room in rooms),
            "connected": sum(generators.sockets),
            "failed": sum(int(r["failed"]) for r in replies),
            "first_error": next((r["first_error"] for r in replies if r["first_error"]), None),
            "seconds": max((float(r["seconds"]) for r in replies), default=0.0),
        }
        return generators, report

    async def step(
        self,
        meter: Meter,
        offered_per_s: float,
        members: float,
        warmup_s: tuple[float, float],
        duration_s: float,
        drain_s: float,
    ) -> Step:
        """Offer ``offered_per_s`` deliveries a second (sends × ``members``).

        The warm-up (least, most) lasts until every socket has sent once, so
        per-socket state in the server (ours caches access for 5 s) is in its
        steady state when the window opens, whichever target ran before."""
        send_rate = offered_per_s / members
        total = sum(self.sockets) or 1
        least, most = warmup_s
        warmup = max(least, min(most, 1.1 * total / send_rate))
        for process, count in zip(self.processes, self.sockets, strict=True):
            command = {
                "cmd": "step",
                "send_rate": send_rate * count / total,
                "warmup_s": warmup,
                "duration_s": duration_s,
                "drain_s": drain_s,
            }
            _write(process, command)
        await asyncio.sleep(warmup + 0.005)
        before = meter.cpu()
        await asyncio.sleep(duration_s)
        after = meter.cpu()
        replies = await asyncio.gather(*(_read(p) for p in self.processes))
        step = Step(offered_per_s, send_rate, duration_s, server_cpu_s=cpu_between(before, after))
        for reply in replies:
            step.sent += int(reply["sent"])
            step.scheduled += int(reply["scheduled"])
            step.expected += int(reply["expected"])
            step.late += int(reply["late"])
            step.max_lag_ms = max(step.max_lag_ms, float(reply["max_lag_ms"]))
            step.deliveries.merge(Histogram.from_wire(reply["deliveries"]))
            step.acks.merge(Histogram.from_wire(reply["acks"]))
            for code, count in dict(reply["errors"]).items():
                step.errors[code] = step.errors.get(code, 0) + int(count)
            step.closed += int(reply["closed"])
            step.aborted = step.aborted or bool(reply["aborted"])
            step.unanswered += int(reply["unanswered"])
            step.quiet_s = max(step.quiet_s, float(reply["quiet_s"]))
            user, system = float(reply["cpu_user_s"]), float(reply["cpu_system_s"])
            step.generator_cpu.append(round((user + system) / duration_s, 3))
            step.generator_system.append(round(system / duration_s, 3))
        return step

    async def ping(self, timeout_s: float) -> dict[str, Any]:
        for process in self.processes:
            _write(process, {"cmd": "ping", "timeout_s": timeout_s})
        replies = await asyncio.gather(*(_read(p) for p in self.processes))
        return {
            "answered": sum(int(r["answered"]) for r in replies),
            "open": sum(int(r["open"]) for r in replies),
            "seconds": max(float(r["seconds"]) for r in replies),
        }

    async def close(self) -> None:
        for process in self.processes:
            _write(process, {"cmd": "close"})
        for process in self.processes:
            try:
                async with asyncio.timeout(30):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()


def _append(path: Path) -> BinaryIO:
    """The generators' stderr (tracebacks, if any) goes to the run folder."""
    return open(path, "ab")


def _write(process: asyncio.subprocess.Process, data: dict[str, Any]) -> None:
    assert process.stdin is not None
    process.stdin.write(orjson.dumps(data) + b"\n")


async def _read(process: asyncio.subprocess.Process) -> dict[str, Any]:
    assert process.stdout is not None
    line = await process.stdout.readline()
    if not line:
        raise RuntimeError(f"load generator {process.pid} exited ({await process.wait()})")
    reply: dict[str, Any] = orjson.loads(line)
    return reply
