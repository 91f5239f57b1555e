"""The service as a person runs it: ``python -m server serve`` on the embedded default."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.services import free_port, wait_port

from .client import Socket


def spawn(data_dir: Path, port: int, *args: str, **env: str) -> subprocess.Popen[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IC_") and k not in {"MONGO_URL", "REDIS_URL"}
    }
    return subprocess.Popen(
        [sys.executable, "-m", "server", *args],
        env={
            **clean,
            "IC_STORAGE__DATA_DIR": str(data_dir),
            "IC_LOG__FORMAT": "json",
            "IC_HTTP__PORT": str(port),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int, Path]]:
    port = free_port()
    process = spawn(tmp_path, port, "serve", "--demo")
    try:
        wait_port(port, 30)
        yield process, port, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def test_embedded_default_runs_and_logs_no_secrets(
    served: tuple[subprocess.Popen[str], int, Path],
) -> None:
    """The run command serves chat on embedded storage; its output holds no text or token."""
    process, port, data_dir = served
    password = (data_dir / "demo-password").read_text().strip()
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        tokens = {}
        for email in ("robin@demo.example", "sky@demo.example"):
            async with http.post(
                f"{url}/api/auth/login", json={"email": email, "password": password}
            ) as resp:
                assert resp.status == 200
                tokens[email] = (await resp.json())["access_token"]
        async with http.get(
            f"{url}/api/me", headers={"Authorization": f"Bearer {tokens['robin@demo.example']}"}
        ) as resp:
            me = await resp.json()
        async with http.post(
            f"{url}/api/auth/login",
            json={"email": "robin@demo.example", "password": "wrong-guess-1"},
        ) as resp:
            assert resp.status == 401
        async with http.get(f"{url}/metrics") as resp:
            metrics = await resp.text()
    # serve times the cyclic GC into the metrics it serves.
    assert 'ic_gc_pause_seconds_count{generation="2"}' in metrics
    room = next(r["room_id"] for r in me["memberships"][0]["rooms"] if r["kind"] == "preparation")
    robin = await Socket.open(f"ws://127.0.0.1:{port}/ws", tokens["robin@demo.example"])
    sky = await Socket.open(f"ws://127.0.0.1:{port}/ws", tokens["sky@demo.example"])
    await robin.join(room)
    await sky.join(room)
    # Letters only: a long run of digits would (rightly) be held as a phone number.
    marker = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex)
    secret_text = f"my very private words {marker}"
    assert (await robin.say(room, secret_text))["type"] == "ack"
    assert (await sky.wait_events(room, 1))[0]["data"]["body"] == secret_text
    await robin.send({"type": "nonsense"})
    await robin.expect("error")

    process.send_signal(signal.SIGTERM)
    # Graceful shutdown tells clients to reconnect elsewhere.
    assert await sky.closed(timeout=15) == 1001
    output, _ = await asyncio.to_thread(process.communicate, timeout=30)
    assert process.returncode == 0, output
    for secret in (secret_text, password, "wrong-guess-1", *tokens.values()):
        assert secret not in output.replace(f"password: {password}", "")
    assert "service_ready" in output
    pid_file = data_dir / "nx-27017.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text().strip())
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_invalid_setting_stops_with_one_line(tmp_path: Path) -> None:
    """A bad setting stops start-up with one clear line and no traceback."""
    process = spawn(tmp_path, free_port(), "serve", IC_LIMITS__REPLAY_WINDOW="lots")
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 2
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "limits.replay_window" in lines[0], output


def test_missing_secret_with_external_database_stops(tmp_path: Path) -> None:
    """Pointing at an external MongoDB without a JWT secret refuses to start."""
    process = spawn(tmp_path, free_port(), "serve", MONGO_URL="mongodb://127.0.0.1:1/")
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "auth.jwt_secret" in output and "mongodb://" not in output
