"""Real services for the tests: a redis-server, a Redis Cluster and an
nx-27017 MongoDB-wire server, each started by the tests on free loopback
ports with its own folder, log and pid file."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

# Timeouts scale with this factor on slow machines (CI may set it).
SLOW = float(os.environ.get("IC_TEST_SLOW", "1"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout * SLOW
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class RedisServer:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.binary = binary
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *extra: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
                "--logfile",
                str(self.folder / "redis.log"),
                "--pidfile",
                str(self.folder / "redis.pid"),
                *extra,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port, 10)

    def stop(self, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.kill() if kill else self.process.terminate()
        self.process.wait(timeout=10)


_CREATE_OPTIONS = ("--cluster-replicas", "0", "--cluster-yes")


class RedisCluster:
    """Redis Cluster of ``size`` primaries (no replicas), one folder each."""

    def __init__(self, folder: Path, size: int = 3, node_timeout_ms: int = 1000) -> None:
        cli = shutil.which("redis-cli")
        if cli is None:
            raise RuntimeError("redis-cli is not installed (apt-get install redis-server)")
        self.cli = cli
        self.nodes = [RedisServer(folder / f"node{index}") for index in range(size)]
        # Each node's cluster bus gets its own free port: the default
        # (port + 10000) does not exist for ephemeral ports above 55535.
        self.bus_ports = [free_port() for _ in self.nodes]
        self.node_timeout_ms = node_timeout_ms

    def node_args(self, index: int) -> tuple[str, ...]:
        # A short node timeout lets a killed node be failed and recovered fast.
        return (
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-port",
            str(self.bus_ports[index]),
            "--cluster-node-timeout",
            str(self.node_timeout_ms),
        )

    @property
    def urls(self) -> list[str]:
        return [f"redis://127.0.0.1:{node.port}/0" for node in self.nodes]

    def start(self) -> None:
        for index, node in enumerate(self.nodes):
            node.start(*self.node_args(index))
        addresses = [f"127.0.0.1:{node.port}" for node in self.nodes]
        subprocess.run(
            [self.cli, "--cluster", "create", *addresses, *_CREATE_OPTIONS],
            check=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30 * SLOW,
        )
        self.wait_ok()

    def start_node(self, index: int) -> None:
        """Start one node again with its kept nodes.conf (same id, same slots)."""
        self.nodes[index].start(*self.node_args(index))

    def call(self, index: int, *command: str) -> str:
        """One command through redis-cli on node ``index``; its raw reply."""
        done = subprocess.run(
            [self.cli, "-p", str(self.nodes[index].port), *command],
            check=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=10 * SLOW,
        )
        return done.stdout

    def move_slot_of(self, key: str, source: int, target: int) -> None:
        """Move ``key``'s (empty) hash slot from node ``source`` to ``target``."""
        slot = self.call(source, "cluster", "keyslot", key).strip()
        source_id = self.call(source, "cluster", "myid").strip()
        target_id = self.call(target, "cluster", "myid").strip()
        self.call(target, "cluster", "setslot", slot, "importing", source_id)
        self.call(source, "cluster", "setslot", slot, "migrating", target_id)
        for index in (target, source):
            self.call(index, "cluster", "setslot", slot, "node", target_id)

    def wait_ok(self, timeout: float = 20) -> None:
        """Wait until every node reports ``cluster_state:ok``."""
        deadline = time.monotonic() + timeout * SLOW
        while time.monotonic() < deadline:
            states = []
            for index in range(len(self.nodes)):
                try:
                    states.append("cluster_state:ok" in self.call(index, "cluster", "info"))
                except (subprocess.SubprocessError, OSError):
                    states.append(False)
            if all(states):
                return
            time.sleep(0.1)
        raise RuntimeError("the Redis Cluster did not reach cluster_state:ok")

    def stop(self, kill: bool = False) -> None:
        for node in self.nodes:
            node.stop(kill=kill)
