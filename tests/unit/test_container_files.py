"""The container files (Dockerfile, .dockerignore, compose.yaml) lint and say what they must.

Docker itself is not needed: hadolint and check-jsonschema (with its vendored
Compose schema) both run offline, and the rest is read as text or YAML.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE = ROOT / "compose.yaml"


def _tool(name: str) -> str:
    """Return the path of a console tool from the test extra, or fail the test."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed; install the project's 'test' extra")
    return found


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a linter with no inherited tool settings and capture its report."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def _instructions(text: str) -> list[tuple[str, str]]:
    """Split Dockerfile text into (INSTRUCTION, arguments), joining continued lines."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue  # comment lines inside a continuation are dropped by Docker
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        if full:
            keyword, _, args = full.partition(" ")
            result.append((keyword.upper(), args.strip()))
    assert not pending, "the Dockerfile ends inside a line continuation"
    return result


def _stages(text: str) -> list[list[tuple[str, str]]]:
    """Group the Dockerfile's instructions by build stage, each starting at its FROM."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, args in _instructions(text):
        if keyword == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((keyword, args))
    return stages


def _compose() -> dict[str, Any]:
    """Load compose.yaml with a safe YAML loader."""
    data = YAML(typ="safe", pure=True).load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_dockerfile_passes_hadolint() -> None:
    """The Dockerfile passes hadolint, style-level findings included."""
    proc = _run([_tool("hadolint"), "--no-color", "--failure-threshold", "style", str(DOCKERFILE)])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_compose_file_matches_the_compose_spec() -> None:
    """compose.yaml validates against the vendored Compose specification schema."""
    argv = [_tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)]
    proc = _run(argv)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_runs_as_a_non_root_user() -> None:
    """The final image stage switches to the non-root uid 10001."""
    final = _stages(DOCKERFILE.read_text(encoding="utf-8"))[-1]
    users = [args for keyword, args in final if keyword == "USER"]
    assert users, "the final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"0", "root"}
    assert user == "10001"


def test_dockerfile_has_a_healthcheck_on_the_liveness_endpoint() -> None:
    """The final image stage has a HEALTHCHECK that asks /health/live without curl."""
    final = _stages(DOCKERFILE.read_text(encoding="utf-8"))[-1]
    checks = [args for keyword, args in final if keyword == "HEALTHCHECK"]
    assert checks, "the final stage has no HEALTHCHECK"
    check = checks[-1]
    assert check.upper() != "NONE"
    assert "http://127.0.0.1:8080/health/live" in check
    assert "urllib" in check
    assert "curl" not in check


def test_dockerfile_pins_its_base_images_by_tag() -> None:
    """Every FROM names a python 3.11 slim image by an explicit tag that is not latest."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert not re.search(r":latest\b", text)
    stage_names: set[str] = set()
    for stage in _stages(text):
        words = [w for w in stage[0][1].split() if not w.startswith("--")]
        image = words[0]
        if len(words) >= 3 and words[1].upper() == "AS":
            stage_names.add(words[2].lower())
        if image.lower() in stage_names:
            continue
        name, _, tag = image.partition(":")
        assert name == "python", image
        assert re.fullmatch(r"3\.11(\.\d+)?-slim(-[a-z]+)?", tag), image


def test_dockerfile_final_stage_settings() -> None:
    """The final stage copies the venv and app folders, sets the env, exposes 8080, serves."""
    stages = _stages(DOCKERFILE.read_text(encoding="utf-8"))
    assert len(stages) >= 2, "the Dockerfile is not multi-stage"
    final = stages[-1]
    copies = " ".join(args for keyword, args in final if keyword == "COPY")
    assert "--from=" in copies
    for folder in ("server/", "config/", "client_web/"):
        assert folder in copies, folder
    env = " ".join(args for keyword, args in final if keyword == "ENV").split()
    for setting in ("PYTHONUNBUFFERED=1", "IC_HTTP__HOST=0.0.0.0", "IC_LOG__FORMAT=json"):
        assert setting in env, setting
    assert ("EXPOSE", "8080") in final
    assert final[-1] == ("CMD", '["python", "-m", "server", "serve"]')


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    """The .dockerignore leaves out the venv, data, git, caches, tests and screenshots."""
    patterns = {
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    for pattern in (".venv", "data", ".git", "tests", "docs/screenshots", ".pytest_cache"):
        assert pattern in patterns, pattern


def test_compose_has_the_app_and_its_backing_services() -> None:
    """compose.yaml runs app, mongo as replica set rs0, and redis, with health-gated startup."""
    services = _compose()["services"]
    assert {"app", "mongo", "redis"} <= set(services)

    mongo = services["mongo"]
    command = mongo["command"]
    words = command if isinstance(command, list) else command.split()
    assert "--replSet" in words
    assert words[words.index("--replSet") + 1] == "rs0"
    assert "rs.initiate" in " ".join(mongo["healthcheck"]["test"])

    app = services["app"]
    env = app["environment"]
    assert env["MONGO_URL"] == "mongodb://mongo:27017/?replicaSet=rs0"
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["IC_AUTH__JWT_SECRET"].startswith("${IC_AUTH__JWT_SECRET:?")
    for dependency in ("mongo", "redis"):
        assert app["depends_on"][dependency]["condition"] == "service_healthy"
        assert "healthcheck" in services[dependency]


def test_compose_has_no_host_paths_or_latest_images() -> None:
    """compose.yaml mounts only named volumes and pins no image to latest."""
    data = _compose()
    for name, service in data["services"].items():
        image = service.get("image", "")
        assert image and not image.endswith(":latest"), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source", "")
            assert not source.startswith(("/", ".", "~")), (name, volume)
            assert source in data.get("volumes", {}), (name, volume)
