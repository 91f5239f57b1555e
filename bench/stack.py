"""Everything server-side of one run: the nx-27017 store and a redis-server
pinned to the service cores, and the four targets pinned to the server cores."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from server.crypto.envelope import format_master_key, new_key
from server.embedded import nx_command
from server.settings import Settings, load_settings

from .processes import Child, Cores, free_port, wait_http, wait_port

DATABASE = "bench"
# The two-instance target gets a database (and so rooms) of its own: it shares
# no broker with the one-instance target, and two deployments writing one
# room unheard by each other would each pay a refused write and a head re-read
# (scans on nx-27017) every time the other wrote last — in every equal-load
# round, which alternates the targets.
DATABASE_TWO = "bench2"
# Every limit stays checked, but none may cap the benchmark. Sign-in never goes
# through /api/auth/login here; its limit is raised all the same.
LIMITS = {
    "IC_LIMITS__SEND_RATE": "1000000/second",
    "IC_LIMITS__FRAME_RATE": "1000000/second",
    "IC_LIMITS__LOGIN_RATE": "1000000/minute",
}


@dataclass
class Target:
    """One system under test and the processes whose CPU and memory it costs."""

    key: str
    label: str
    wire: str
    ws_urls: list[str]
    app: list[Child]
    store: list[Child] = field(default_factory=list)
    broker: list[Child] = field(default_factory=list)


class Stack:
    def __init__(self, folder: Path, cores: Cores) -> None:
        self.folder = folder
        self.cores = cores.servers
        self.service_cores = cores.services
        self.jwt_secret = secrets.token_urlsafe(48)
        self.master_keys = format_master_key("bench", new_key())
        self.children: list[Child] = []
        self.store: Child | None = None
        self.broker: Child | None = None
        self.mongo_url = ""
        self.redis_url = ""

    def _child(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        cores: frozenset[int] | None = None,
    ) -> Child:
        child = Child(name, argv, cores or self.cores, self.folder / f"{name}.log")
        if env is not None:
            child.env = env
        child.start()
        self.children.append(child)
        return child

    # shared services ------------------------------------------------------------
    def start_store(self) -> None:
        port = free_port()
        data = self.folder / "mongo"
        data.mkdir(parents=True, exist_ok=True)
        self.store = self._child(
            "nx-27017",
            [
                *nx_command(),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data-dir",
                str(data),
                "--log-file",
                str(self.folder / "nx-27017.server.log"),
                "--pid-file",
                str(self.folder / "nx-27017.pid"),
            ],
            cores=self.service_cores,
        )
        wait_port(self.store, port)
        self.mongo_url = f"mongodb://127.0.0.1:{port}/?directConnection=true"

    def start_broker(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        port = free_port()
        self.broker = self._child(
            "redis",
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            cores=self.service_cores,
        )
        wait_port(self.broker, port)
        self.redis_url = f"redis://127.0.0.1:{port}/0"

    def settings(self, database: str = DATABASE) -> Settings:
        """Our settings as the setup step and every instance see them."""
        return load_settings(
            MONGO_URL=self.mongo_url,
            storage={"database": database},
            auth={"jwt_secret": self.jwt_secret, "access_ttl_s": 3600},
            crypto={"master_keys": self.master_keys},
            log={"level": "WARNING"},
        )

    # targets -----------------------------------------------------------------
    async def ours(self, name: str, instances: int, *, redis: bool) -> Target:
        children, urls = [], []
        for number in range(instances):
            port = free_port()
            env = {
                **os.environ,
                **LIMITS,
                "MONGO_URL": self.mongo_url,
                "IC_STORAGE__DATABASE": DATABASE if instances == 1 else DATABASE_TWO,
                "IC_STORAGE__DATA_DIR": str(self.folder / "data"),
                "IC_AUTH__JWT_SECRET": self.jwt_secret,
                "IC_AUTH__ACCESS_TTL_S": "3600",
                "IC_CRYPTO__MASTER_KEYS": self.master_keys,
                "IC_LOG__LEVEL": "WARNING",
                "IC_HTTP__HOST": "127.0.0.1",
                "IC_HTTP__PORT": str(port),
                "REDIS_URL": self.redis_url if redis else "",
            }
            child = self._child(f"{name}-{number}", [sys.executable, "-m", "server", "serve"], env)
            await wait_http(child, f"http://127.0.0.1:{port}/health/ready")
            children.append(child)
            urls.append(f"ws://127.0.0.1:{port}/ws")
        label = "ours, 1 instance" if instances == 1 else f"ours, {instances} instances + Redis"
        store = [self.store] if self.store else []
        broker = [self.broker] if redis and self.broker else []
        return Target(name, label, "ours", urls, children, store, broker)

    async def bare(self, name: str) -> Target:
        port = free_port()
        child = self._child(name, [sys.executable, "-m", "bench.bare", "--port", str(port)])
        await wait_http(child, f"http://127.0.0.1:{port}/health")
        return Target(
            name, "bare aiohttp broadcast", "bare", [f"ws://127.0.0.1:{port}/ws"], [child]
        )

    async def socketio(self, name: str) -> Target:
        port = free_port()
        argv = [sys.executable, "-m", "bench.socketio_server", "--port", str(port)]
        argv += ["--redis", self.redis_url, "--mongo", self.mongo_url]
        child = self._child(name, argv)
        await wait_http(child, f"http://127.0.0.1:{port}/health")
        url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
        store = [self.store] if self.store else []
        broker = [self.broker] if self.broker else []
        return Target(
            name, "python-socketio + Redis manager", "socketio", [url], [child], store, broker
        )

    def close(self) -> None:
        for child in reversed(self.children):
            child.stop()
        self.children.clear()
