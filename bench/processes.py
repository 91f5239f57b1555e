"""Child processes pinned to cores with the open-file limit raised, free
ports, readiness waits, and the event loop every bench process runs on."""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import subprocess
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

T = TypeVar("T")


def run_fast(main: Coroutine[Any, Any, T]) -> T:
    """Run on uvloop where it is installed (every target and generator does)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is optional on other platforms
        return asyncio.run(main)
    return uvloop.run(main)


def raise_nofile() -> None:
    """Soft RLIMIT_NOFILE up to the hard limit: thousands of sockets per process."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def pinned(cores: frozenset[int]) -> Callable[[], None]:
    """A ``preexec_fn``: the child (and every thread it starts) runs on ``cores``."""

    def setup() -> None:
        os.sched_setaffinity(0, cores)
        raise_nofile()

    return setup


@dataclass(frozen=True)
class Cores:
    """The systems under test on one set of cores, one generator process per
    remaining core, and the services they share (the store, redis-server) on
    ``services``: by default the generators' cores, as a database never shares
    the application's core in a deployment."""

    servers: frozenset[int]
    generators: tuple[int, ...]
    services: frozenset[int]

    @classmethod
    def plan(
        cls, servers: str | None, generators: str | None, services: str | None = None
    ) -> Cores:
        available = sorted(os.sched_getaffinity(0))
        server_set = _parse(servers) if servers else frozenset(available[:1])
        rest = [c for c in available if c not in server_set] or available
        generator_list = tuple(sorted(_parse(generators))) if generators else tuple(rest)
        service_set = _parse(services) if services else frozenset(generator_list)
        return cls(server_set, generator_list, service_set)

    def describe(self) -> str:
        return (
            f"servers on core(s) {_show(self.servers)}, "
            f"{len(self.generators)} generator process(es) on core(s) {_show(self.generators)}, "
            f"store and redis-server on core(s) {_show(self.services)}"
        )


def _parse(text: str) -> frozenset[int]:
    cores: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        cores.update(range(int(low), int(high or low) + 1))
    return frozenset(cores)


def _show(cores: frozenset[int] | tuple[int, ...]) -> str:
    return ",".join(str(c) for c in sorted(cores))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Child:
    """One server-side process; its output goes to a log file in the run folder."""

    name: str
    argv: list[str]
    cores: frozenset[int]
    log: Path
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not running"
        return self.process.pid

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=pinned(self.cores),  # pinned before exec: threads inherit it
                start_new_session=True,
            )

    def check_alive(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n{tail}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def wait_port(child: Child, port: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        child.check_alive()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{child.name}: nothing listens on port {port}")


async def wait_http(child: Child, url: str, timeout_s: float = 60.0) -> None:
    """Until ``url`` answers 200 (a health endpoint)."""
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            child.check_alive()
            try:
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as resp:
                    if resp.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{child.name}: {url} did not answer in {timeout_s:.0f} s")
