"""Fixtures: one nx-27017 and one redis-server per test session; a fresh
database (and channel prefix) per test; app instances on real sockets."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from server.app import build_app
from server.context import Services
from server.embedded import EmbeddedMongo
from server.http.keys import SERVICES_KEY
from server.settings import Settings, load_settings
from tests.services import RedisServer, free_port

from .client import Api

SECRET = "test-secret-" + "x" * 40
# Fixed test master keys ("id:base64 of 32 bytes"); never used outside tests.
MASTER_KEY = "test1:" + "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmchISE"


@pytest.fixture(scope="session")
async def mongo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[EmbeddedMongo]:
    server = EmbeddedMongo(tmp_path_factory.mktemp("nx-27017"))
    await server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> RedisServer:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server  # type: ignore[misc]
    server.stop()


class Instance:
    """One running app on a real loopback port."""

    def __init__(self, app: web.Application, runner: web.AppRunner, port: int) -> None:
        self.app = app
        self.runner = runner
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def services(self) -> Services:
        return self.app[SERVICES_KEY]

    async def stop(self) -> None:
        await self.runner.cleanup()


StartInstance = Callable[..., Awaitable[Instance]]


async def serve(settings: Settings) -> Instance:
    """Build the app from settings and serve it on a free loopback port."""
    app = build_app(settings)
    runner = web.AppRunner(app, shutdown_timeout=2)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return Instance(app, runner, port)


@pytest.fixture
async def start_instance(mongo: EmbeddedMongo, tmp_path: Path) -> AsyncIterator[StartInstance]:
    """Start app instances sharing one fresh database (and Redis, if asked)."""
    database = "t" + uuid.uuid4().hex[:16]
    prefix = "ic" + uuid.uuid4().hex[:8]
    started: list[Instance] = []

    async def start(
        redis_url: str = "",
        http: dict[str, object] | None = None,
        master_keys: str = "",
        **limits: object,
    ) -> Instance:
        settings: Settings = load_settings(
            mongo_url=mongo.url,
            redis_url=redis_url,
            http=http or {},
            storage={"database": database, "data_dir": str(tmp_path)},
            broker={"channel_prefix": prefix},
            auth={"jwt_secret": SECRET},
            crypto={"master_keys": master_keys or MASTER_KEY},
            limits=limits,
            log={"level": "WARNING"},
        )
        instance = await serve(settings)
        started.append(instance)
        return instance

    yield start
    for instance in reversed(started):
        await instance.stop()


@pytest.fixture
async def server(start_instance: StartInstance) -> Instance:
    return await start_instance()


@pytest.fixture
async def api(server: Instance) -> AsyncIterator[Api]:
    async with Api(server.url, server.services) as client:
        yield client
