"""What the run ran on, for the JSON and the docs: processor, cores, memory,
kernel, Python and the versions of the packages that decide the figures."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from typing import Any

import psutil

PACKAGES = (
    "aiohttp",
    "orjson",
    "uvloop",
    "pymongo",
    "redis",
    "nx-27017",
    "python-socketio",
    "python-engineio",
)


def _processor() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            check=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def describe() -> dict[str, Any]:
    cores = os.cpu_count() or 0
    memory_gib = psutil.virtual_memory().total / 2**30
    processor = _processor()
    return {
        "summary": f"{cores} cores ({processor}), {memory_gib:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "processor": processor,
        "cores": cores,
        "memory_gib": round(memory_gib, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "commit": _commit(),
        "network": "loopback, no TLS (flatters every target equally)",
    }


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())
