"""The services a fault test breaks: an nx-27017 MongoDB-wire server, a
redis-server, an optional stall proxy in front of the database, and server
instances run as real ``python -m server serve`` processes (so ``kill -9`` is
real). Each has its own folder, log and pid file under the test's tmp path."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import aiohttp
import psutil  # type: ignore[import-untyped]
from pymongo import ASCENDING, AsyncMongoClient

from server.context import Services
from server.embedded import EmbeddedMongo
from server.services.audit import AuditTrail
from server.services.identity import IdentityService
from server.services.tokens import TokenService
from server.settings import load_settings
from server.storage.audit import MongoAuditLog
from server.storage.directory import MongoDirectory
from server.storage.mongo import open_database
from tests.integration.client import PASSWORD, Api, Person, World
from tests.integration.conftest import MASTER_KEY
from tests.services import SLOW, RedisServer, free_port

from .ledger import Figures, Ledger, StoredEvent, check

REPO = Path(__file__).resolve().parents[2]
SECRET = "fault-secret-" + "x" * 40
# Generous budgets: the faults are about durability and order, not rate limits.
LOAD_LIMITS: dict[str, object] = {
    "send_rate": "100000/10second",
    "frame_rate": "100000/10second",
    "login_rate": "10000/minute",
}


class ServerProcess:
    """One ``python -m server serve`` on a fixed loopback port."""

    def __init__(self, name: str, folder: Path, env: Mapping[str, str]) -> None:
        self.name = name
        self.folder = folder
        self.port = free_port()
        self.env = {**env, "IC_HTTP__PORT": str(self.port)}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def spawn(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server", "serve"],
                cwd=REPO,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        (self.folder / "server.pid").write_text(f"{self.process.pid}\n")

    async def wait_ready(self, timeout: float = 30.0) -> None:
        """Until ``/health/ready`` says storage and broker are up."""
        deadline = time.monotonic() + timeout * SLOW
        async with aiohttp.ClientSession() as http:
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with http.get(self.url + "/health/ready") as resp:
                        if resp.status == 200:
                            return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} not ready: {self.log_tail()}")
                await asyncio.sleep(0.1)

    async def start(self) -> None:
        self.spawn()
        await self.wait_ready()

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.pid, signal.SIGCONT)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def rss(self) -> int:
        return int(psutil.Process(self.pid).memory_info().rss)

    def ports_to(self, port: int) -> set[int]:
        """Local ports of this process's TCP connections to ``port``."""
        connections = psutil.Process(self.pid).net_connections("tcp")
        return {c.laddr.port for c in connections if c.raddr and c.raddr.port == port}

    def log_events(self) -> list[dict[str, Any]]:
        """The structured (JSON) log lines written so far."""
        events = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    events.append(entry)
        return events

    def logged(self, event: str) -> int:
        return sum(1 for entry in self.log_events() if entry.get("event") == event)

    def log_tail(self, lines: int = 15) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def metric(self, name: str) -> float:
        async with aiohttp.ClientSession() as http, http.get(self.url + "/metrics") as resp:
            text = await resp.text()
        for line in text.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        raise AssertionError(f"{name} is not in /metrics of {self.name}")


class StallProxy:
    """A TCP relay between the instances and nx-27017 that can stop forwarding
    (both ways, new connections included) and start again: a stalled link,
    where bytes are late rather than lost. It can also hold back the replies
    to one chosen request, to line up a race."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._marker: bytes | None = None
        self._held: list[asyncio.Event] = []

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def pause(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def hold_reply_to(self, marker: bytes) -> None:
        """Hold the replies on the next connection whose request contains
        ``marker`` (the request itself goes through) until ``release()``."""
        self._marker = marker

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def release(self) -> None:
        for gate in self._held:
            gate.set()
        self._held.clear()

    async def close(self) -> None:
        self._flowing.set()
        self.release()
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ends = [writer]
        self._writers.add(writer)
        replies = asyncio.Event()  # this connection's replies flow while set
        replies.set()
        try:
            await self._flowing.wait()
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            ends.append(up_writer)
            self._writers.add(up_writer)
            await asyncio.gather(
                self._pump(reader, up_writer, watch=replies),
                self._pump(up_reader, writer, gate=replies),
            )
        except OSError:
            pass
        finally:
            for end in ends:
                end.close()
                self._writers.discard(end)

    async def _pump(
        self,
        source: asyncio.StreamReader,
        sink: asyncio.StreamWriter,
        *,
        watch: asyncio.Event | None = None,
        gate: asyncio.Event | None = None,
    ) -> None:
        try:
            while chunk := await source.read(65536):
                if watch is not None and self._marker is not None and self._marker in chunk:
                    self._marker = None
                    watch.clear()
                    self._held.append(watch)
                await self._flowing.wait()
                if gate is not None:
                    await gate.wait()
                sink.write(chunk)
                await sink.drain()
        except OSError:
            pass
        finally:
            sink.close()


class SeedApi(Api):
    """The integration tests' HTTP helper, with the first admin made directly
    in storage (there is no HTTP route for it, by design)."""

    def __init__(self, url: str, mongo_url: str, database: str) -> None:
        super().__init__(url, cast(Services, None))
        self.mongo_url = mongo_url
        self.database = database

    async def admin(self) -> Person:
        email = f"admin-{uuid.uuid4().hex[:6]}@clinic.org"
        settings = load_settings(
            mongo_url=self.mongo_url,
            auth={"jwt_secret": SECRET},
            crypto={"master_keys": MASTER_KEY},
            storage={"database": self.database},
        )
        async with open_database(self.mongo_url, self.database) as db:
            identity = IdentityService(
                settings,
                MongoDirectory(db),
                TokenService(settings.auth, SECRET),
                AuditTrail(MongoAuditLog(db)),
            )
            await identity.create_staff(email, "Ada Admin", PASSWORD, is_admin=True)
        return await self.login(email)


@dataclass
class Cluster:
    """Everything one fault test runs against; torn down by the fixture."""

    root: Path
    mongo: EmbeddedMongo
    redis: RedisServer
    limits: dict[str, object] = field(default_factory=dict)
    database: str = field(default_factory=lambda: "f" + uuid.uuid4().hex[:12])
    prefix: str = field(default_factory=lambda: "ic" + uuid.uuid4().hex[:8])
    proxy: StallProxy | None = None
    instances: list[ServerProcess] = field(default_factory=list)

    @property
    def a(self) -> ServerProcess:
        return self.instances[0]

    @property
    def b(self) -> ServerProcess:
        return self.instances[1]

    def instance_env(self, *, through_proxy: bool = True) -> dict[str, str]:
        clean = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("IC_") and k not in {"MONGO_URL", "REDIS_URL"}
        }
        env = {
            **clean,
            "PYTHONUNBUFFERED": "1",
            "MONGO_URL": self.proxy.url if self.proxy and through_proxy else self.mongo.url,
            "REDIS_URL": self.redis.url,
            "IC_AUTH__JWT_SECRET": SECRET,
            "IC_CRYPTO__MASTER_KEYS": MASTER_KEY,
            "IC_STORAGE__DATABASE": self.database,
            "IC_BROKER__CHANNEL_PREFIX": self.prefix,
            "IC_LOG__FORMAT": "json",
            "IC_LOG__LEVEL": "INFO",
        }
        for key, value in {**LOAD_LIMITS, **self.limits}.items():
            env[f"IC_LIMITS__{key.upper()}"] = str(value)
        return env

    def add_instance(self, *, through_proxy: bool = True) -> ServerProcess:
        """A new (not yet started) instance, stopped with the cluster."""
        name = "abcdefgh"[len(self.instances)]
        env = self.instance_env(through_proxy=through_proxy)
        instance = ServerProcess(name, self.root / f"instance-{name}", env)
        self.instances.append(instance)
        return instance

    async def start(
        self, instances: int = 2, *, stall_proxy: bool = False, prepare: bool = True
    ) -> None:
        await asyncio.gather(self.mongo.start(), asyncio.to_thread(self.redis.start))
        if stall_proxy:
            self.proxy = StallProxy(self.mongo.port)
            await self.proxy.start()
        if prepare:
            # Collections and indexes first: instances that start together on
            # a fresh database race in ensure_indexes (see test_startup.py).
            async with open_database(self.mongo.url, self.database):
                pass
        started = [self.add_instance() for _ in range(instances)]
        for instance in started:
            instance.spawn()
        await asyncio.gather(*(i.wait_ready() for i in started))

    async def close(self) -> None:
        # In a thread: the stall proxy lives on this event loop, and an
        # instance's shutdown still talks to the database through it.
        await asyncio.gather(*(asyncio.to_thread(i.stop) for i in self.instances))
        if self.proxy is not None:
            await self.proxy.close()
        self.redis.stop()
        self.mongo.stop()

    def seed_api(self) -> SeedApi:
        return SeedApi(self.a.url, self.mongo.url, self.database)

    async def circle(self, participants: int = 6) -> World:
        """A program with a lead, a facilitator and ``participants`` members."""
        async with self.seed_api() as api:
            return await api.circle(participants)

    async def stored(self, room_ids: list[str]) -> dict[str, list[StoredEvent]]:
        """Every stored event of these rooms, read straight from nx-27017."""
        client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            self.mongo.url, serverSelectionTimeoutMS=5000
        )
        try:
            events = client[self.database]["events"]
            out: dict[str, list[StoredEvent]] = {}
            for room_id in room_ids:
                cursor = events.find({"room_id": room_id}).sort("seq", ASCENDING)
                out[room_id] = [
                    StoredEvent(
                        room_id=room_id,
                        seq=int(doc["seq"]),
                        kind=str(doc["type"]),
                        message_id=str(doc.get("message_id") or doc["_id"]),
                        author_id=str(doc["author_id"]),
                        client_id=str(doc["client_id"]),
                    )
                    async for doc in cursor
                ]
            return out
        finally:
            await client.close()

    async def verify(
        self, ledger: Ledger, room_ids: list[str], *, complete: bool = True
    ) -> Figures:
        """Check the ledger against storage, print the figures, fail on any breach."""
        figures = check(ledger, await self.stored(room_ids), complete=complete)
        print(figures.line())
        assert not figures.problems, "\n".join(figures.problems)
        return figures
