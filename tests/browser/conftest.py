"""Debian's chromium driven headless by playwright (no browser download), and one
server per test module (a fresh database each), so browser tests stay quick."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright

from server.embedded import EmbeddedMongo
from server.settings import load_settings
from tests.integration.client import Api
from tests.integration.conftest import (  # noqa: F401 - fixtures reused here
    MASTER_KEY,
    SECRET,
    Instance,
    mongo,
    redis_server,
    serve,
    start_instance,
)


@pytest.fixture(scope="module")
async def server(
    mongo: EmbeddedMongo,  # noqa: F811 - the session fixture imported above
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Instance]:
    """One app for the whole module; each test builds its own program in it."""
    settings = load_settings(
        mongo_url=mongo.url,
        storage={
            "database": "b" + uuid.uuid4().hex[:16],
            "data_dir": str(tmp_path_factory.mktemp("browser")),
        },
        broker={"channel_prefix": "ic" + uuid.uuid4().hex[:8]},
        auth={"jwt_secret": SECRET},
        crypto={"master_keys": MASTER_KEY},
        # Every test signs several people in from 127.0.0.1, and seeds history quickly.
        limits={
            "login_rate": "10000/minute",
            "send_rate": "1000/10second",
            "frame_rate": "3000/10second",
        },
        log={"level": "WARNING"},
    )
    instance = await serve(settings)
    yield instance
    await instance.stop()


@pytest.fixture(scope="module")
async def api(server: Instance) -> AsyncIterator[Api]:
    async with Api(server.url, server.services) as client:
        yield client


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        await browser.close()
