"""One load-generator process (``python -m bench.loadgen``), pinned by the driver.

It reads one JSON line (the sockets it owns, whole rooms only), connects and
signs them in, answers ``{"connected": …}``, then runs one command per line:
``step`` (send at a rate for warm-up + window, report what arrived), ``ping``
(one request/reply on every socket) and ``close``. Every reply is one JSON
line on stdout. Latencies are measured at every receiver from the send time
carried in the client id (CLOCK_MONOTONIC is shared by all processes)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

from .histogram import Histogram
from .processes import run_fast
from .wire import WIRES, Kind, Wire, client_id, stamp_of
from .wsclient import ClosedError, WebSocket, connect

_LATE_NS = 20_000_000  # a send more than 20 ms behind its schedule counts as late
_TICK_S = 0.001
# A step stops sending once this many seconds of sends (at least _MIN_BACKLOG)
# are unanswered: the target is past its limit, and a longer backlog would
# only spill into the next step.
_BACKLOG_S = 1.0
_MIN_BACKLOG = 50
_QUIET_S = 30.0  # after a step, wait (at most this) for every answer


@dataclass(eq=False)
class Sock:
    ws: WebSocket
    room: str


@dataclass
class Window:
    """What arrived for sends stamped in [start_ns, end_ns)."""

    start_ns: int = 0
    end_ns: int = 0
    deliveries: Histogram = field(default_factory=Histogram)
    acks: Histogram = field(default_factory=Histogram)
    errors: Counter[str] = field(default_factory=Counter)


class Generator:
    def __init__(self, number: int, wire: Wire) -> None:
        self.number = number
        self.wire = wire
        self.socks: list[Sock] = []
        self.window = Window()
        self.counter = 0
        self.sent_total = 0  # sends so far, and answers (acks or errors) to them
        self.answered = 0
        self.caught_up = asyncio.Event()
        self.pongs_wanted = 0
        self.pongs = asyncio.Event()

    # connecting -------------------------------------------------------------
    async def connect(self, specs: list[list[str]], join: bool, concurrency: int) -> dict[str, Any]:
        gate = asyncio.Semaphore(concurrency)
        failures: list[str] = []
        started = time.monotonic()

        async def one(url: str, room: str, token: str) -> None:
            async with gate:
                try:
                    ws = await connect(url)
                    await self.wire.handshake(ws, room, token, join)
                except Exception as exc:
                    failures.append(f"{type(exc).__name__}: {exc}"[:300])
                    return
            sock = Sock(ws, room)
            ws.on_text = functools.partial(self._on_frame, sock)
            self.socks.append(sock)

        await asyncio.gather(*(one(*spec) for spec in specs))
        return {
            "connected": len(self.socks),
            "failed": len(failures),
            "first_error": failures[0] if failures else None,
            "seconds": round(time.monotonic() - started, 2),
        }

    # receiving --------------------------------------------------------------
    def _on_frame(self, sock: Sock, frame: bytes) -> None:
        kind = self.wire.classify(frame)
        if kind is Kind.ACK or kind is Kind.ERROR:
            self.answered += 1
            if self.answered >= self.sent_total:
                self.caught_up.set()
        if kind is Kind.DELIVERY or kind is Kind.ACK:
            stamp = stamp_of(frame)
            window = self.window
            if stamp is not None and window.start_ns <= stamp < window.end_ns:
                latency_us = (time.monotonic_ns() - stamp) // 1000
                if kind is Kind.DELIVERY:
                    window.deliveries.add(latency_us)
                else:
                    window.acks.add(latency_us)
        elif kind is Kind.ENGINE_PING:
            with contextlib.suppress(ClosedError):
                sock.ws.send(b"3")
        elif kind is Kind.ERROR:
            self.window.errors[self.wire.error_code(frame)] += 1
        elif kind is Kind.PONG:
            self.pongs_wanted -= 1
            if self.pongs_wanted <= 0:
                self.pongs.set()

    def _closed(self) -> int:
        return sum(sock.ws.closed for sock in self.socks)

    # commands ---------------------------------------------------------------
    async def step(
        self, send_rate: float, warmup_s: float, duration_s: float, drain_s: float
    ) -> dict[str, Any]:
        begin = time.monotonic_ns() + 5_000_000
        start = begin + int(warmup_s * 1e9)
        end = start + int(duration_s * 1e9)
        self.window = Window(start, end)
        closed_before = self._closed()
        cpu = asyncio.create_task(self._cpu_between(start, end))
        pumped = await self._pump(send_rate, begin, start, end)
        user_s, system_s = await cpu
        await asyncio.sleep(drain_s)
        window = self.window
        self.window = Window()
        quiet_s = await self._quiet()
        return {
            **pumped,
            "unanswered": self.sent_total - self.answered,
            "quiet_s": quiet_s,
            "deliveries": window.deliveries.to_wire(),
            "acks": window.acks.to_wire(),
            "errors": dict(window.errors),
            "closed": self._closed() - closed_before,
            "cpu_user_s": user_s,
            "cpu_system_s": system_s,
        }

    async def _cpu_between(self, start_ns: int, end_ns: int) -> tuple[float, float]:
        """(user, system) CPU seconds of this process over the window."""
        await asyncio.sleep(max(0.0, (start_ns - time.monotonic_ns()) / 1e9))
        before = os.times()
        await asyncio.sleep(max(0.0, (end_ns - time.monotonic_ns()) / 1e9))
        after = os.times()
        return round(after.user - before.user, 3), round(after.system - before.system, 3)

    async def _quiet(self) -> float:
        """Wait until every send was answered (bounded): the target is idle again."""
        started = time.monotonic()
        if self.answered < self.sent_total:
            self.caught_up.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(_QUIET_S):
                    await self.caught_up.wait()
        return round(time.monotonic() - started, 2)

    async def _pump(self, send_rate: float, begin: int, start: int, end: int) -> dict[str, Any]:
        """Open-loop sends, round-robin over the sockets, each on its schedule,
        until the window ends or the target falls a backlog behind."""
        order = [s for s in self.socks if not s.ws.closed]
        scheduled = int((end - start) * send_rate / 1e9)
        if not order or send_rate <= 0:
            await asyncio.sleep(max(0.0, (end - time.monotonic_ns()) / 1e9))
            order = []
        random.shuffle(order)
        sizes = Counter(sock.room for sock in order)
        interval = 1e9 / send_rate if send_rate > 0 else float("inf")
        backlog = max(_MIN_BACKLOG, int(send_rate * _BACKLOG_S))
        wire, number = self.wire, self.number
        done = sent = expected = late = max_lag = 0
        aborted = False
        await asyncio.sleep(max(0.0, (begin - time.monotonic_ns()) / 1e9))
        while order and (now := time.monotonic_ns()) < end:
            if self.sent_total - self.answered > backlog:
                aborted = True
                break
            due = int((now - begin) / interval) + 1
            while done < due:
                sock = order[done % len(order)]
                planned = begin + int(done * interval)
                done += 1
                self.counter += 1
                stamp = time.monotonic_ns()
                try:
                    sock.ws.send(
                        wire.send_frame(sock.room, client_id(stamp, number, self.counter), done)
                    )
                except ClosedError:
                    continue
                self.sent_total += 1
                if start <= stamp < end:
                    sent += 1
                    expected += sizes[sock.room]
                    lag = stamp - planned
                    max_lag = max(max_lag, lag)
                    late += lag > _LATE_NS
            await asyncio.sleep(_TICK_S)
        if aborted:
            await asyncio.sleep(max(0.0, (end - time.monotonic_ns()) / 1e9))
        return {
            "sent": sent,
            "scheduled": scheduled,
            "expected": expected,
            "late": late,
            "max_lag_ms": round(max_lag / 1e6, 3),
            "aborted": aborted,
        }

    async def ping(self, timeout_s: float) -> dict[str, Any]:
        """One application-level request/reply on every open socket."""
        started = time.monotonic()
        live = [s for s in self.socks if not s.ws.closed]
        self.pongs_wanted = len(live)
        self.pongs.clear()
        for sock in live:
            self.counter += 1
            sock.ws.send(self.wire.ping_frame(self.counter))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await self.pongs.wait()
        return {
            "answered": len(live) - max(self.pongs_wanted, 0),
            "open": len(live),
            "seconds": round(time.monotonic() - started, 2),
        }

    async def close(self) -> None:
        for sock in self.socks:
            await sock.ws.close()
        await asyncio.sleep(0.2)  # let the close frames go out


def _reply(data: dict[str, Any]) -> None:
    sys.stdout.write(orjson.dumps(data).decode() + "\n")
    sys.stdout.flush()


async def _line() -> dict[str, Any]:
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        return {"cmd": "close"}
    data: dict[str, Any] = orjson.loads(line)
    return data


async def serve() -> None:
    hello = await _line()
    generator = Generator(int(hello["generator"]), WIRES[str(hello["wire"])])
    _reply(
        await generator.connect(hello["sockets"], bool(hello["join"]), int(hello["concurrency"]))
    )
    while True:
        command = await _line()
        name = command["cmd"]
        if name == "step":
            _reply(
                await generator.step(
                    float(command["send_rate"]),
                    float(command["warmup_s"]),
                    float(command["duration_s"]),
                    float(command["drain_s"]),
                )
            )
        elif name == "ping":
            _reply(await generator.ping(float(command["timeout_s"])))
        else:
            await generator.close()
            _reply({"closed": True})
            return


def main() -> None:
    run_fast(serve())


if __name__ == "__main__":
    main()
