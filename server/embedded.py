"""The embedded default: a MongoDB-wire server (nx-27017, SQLite underneath)
started as a child process on a free loopback port, storing under the data
folder. For a newcomer's laptop and for tests — production uses MONGO_URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from pymongo import AsyncMongoClient

from .crypto.envelope import format_master_key, new_key

_START_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nx_command() -> list[str]:
    """The nx-27017 launcher next to this interpreter (a venv's bin/), or on PATH."""
    beside = Path(sys.executable).with_name("nx-27017")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("nx-27017")
    if found is None:
        raise RuntimeError("nx-27017 is not installed; run: pip install -e .")
    return [found]


class EmbeddedMongo:
    """One nx-27017 child with its own port, data folder, log and pid file."""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    async def start(self) -> None:
        self.process = await asyncio.to_thread(self._spawn)
        await self.wait_ready()

    def _spawn(self) -> subprocess.Popen[bytes]:
        db_dir = self.data_dir / "mongo"
        db_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.data_dir / "nx-27017.log"
        with open(log_path, "ab") as log_file:
            return subprocess.Popen(
                [
                    *nx_command(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--data-dir",
                    str(db_dir),
                    "--log-file",
                    str(log_path),
                    "--pid-file",
                    str(self.data_dir / "nx-27017.pid"),
                ],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    async def wait_ready(self) -> None:
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            self.url, serverSelectionTimeoutMS=500
        )
        try:
            deadline = asyncio.get_running_loop().time() + _START_TIMEOUT_S
            while True:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"nx-27017 exited early; see {self.data_dir}/nx-27017.log")
                try:
                    await client.admin.command("ping")
                    return
                except Exception:
                    if asyncio.get_running_loop().time() > deadline:
                        raise RuntimeError("nx-27017 did not start in time") from None
                    await asyncio.sleep(0.1)
        finally:
            await client.close()

    def stop(self, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@asynccontextmanager
async def embedded_mongo(data_dir: Path) -> AsyncIterator[EmbeddedMongo]:
    server = EmbeddedMongo(data_dir)
    await server.start()
    try:
        yield server
    finally:
        server.stop()


def dev_secret(data_dir: Path) -> str:
    """A JWT secret made once per data folder, readable by its owner only."""
    return _kept_secret(data_dir / "jwt-secret", lambda: secrets.token_urlsafe(48), 32)


def dev_master_key(data_dir: Path) -> str:
    """A master key (``id:base64``) made once per data folder, owner-only.

    Only for the embedded default: production sets ``crypto.master_keys``
    from a secret store, so a copied data folder alone opens nothing.
    """
    return _kept_secret(data_dir / "master-key", lambda: format_master_key("local1", new_key()), 40)


def _kept_secret(path: Path, make: Callable[[], str], min_length: int) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        secret = path.read_text().strip()
        if len(secret) >= min_length:
            return secret
    secret = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret
