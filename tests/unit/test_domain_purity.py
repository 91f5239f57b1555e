"""The domain package stays pure: no I/O, no network, no clock (STYLE.md, domain/__init__.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "server" / "domain"
DOMAIN_FILES = sorted(DOMAIN.rglob("*.py"))

FORBIDDEN_MODULES = frozenset(
    {
        "aiohttp",
        "asyncio",
        "bson",
        "importlib",
        "jwt",
        "motor",
        "os",
        "pymongo",
        "redis",
        "socket",
        "subprocess",
        "time",
    }
)
CLOCK_ATTRIBUTES = frozenset({"now", "utcnow", "today", "time", "monotonic", "perf_counter"})
CLOCK_OWNERS = frozenset({"datetime", "date", "time"})
CLOCK_TEXT = (".now(", "utcnow(", "time.time(", "time.monotonic(")


def impurities(source: str) -> list[str]:
    """Every import or clock read in ``source`` that the domain must not have."""
    found: list[str] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [
                f"import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                found.append(f"from {'.' * node.level}{node.module or ''} (outside the domain)")
            elif node.level == 0 and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"from {node.module} import …")
        elif isinstance(node, ast.Attribute) and node.attr in CLOCK_ATTRIBUTES:
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in CLOCK_OWNERS:
                found.append(f"{owner.id}.{node.attr}")
        elif isinstance(node, ast.Name) and node.id == "__import__":
            found.append("__import__")
    found += [f"text {needle!r}" for needle in CLOCK_TEXT if needle in source]
    return found


def test_domain_files_are_found() -> None:
    """The purity check sees the domain modules it is meant to guard."""
    names = {path.name for path in DOMAIN_FILES}
    assert {"access.py", "limits.py", "model.py", "names.py", "sequencing.py"} <= names


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: p.relative_to(DOMAIN).as_posix())
def test_domain_module_is_pure(path: Path) -> None:
    """A domain module imports no I/O, network or clock module and never reads the clock."""
    assert impurities(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("import os", "import os"),
        ("import os.path", "import os.path"),
        ("import asyncio as aio", "import asyncio"),
        ("from pymongo import MongoClient", "from pymongo import …"),
        ("from redis.asyncio import Redis", "from redis.asyncio import …"),
        ("import jwt", "import jwt"),
        ("from aiohttp import web", "from aiohttp import …"),
        ("import socket", "import socket"),
        ("import subprocess", "import subprocess"),
        ("from time import monotonic", "from time import …"),
        ("from ..storage import mongo", "from ..storage (outside the domain)"),
        ("from datetime import datetime\nx = datetime.now()", "datetime.now"),
        ("import datetime\nx = datetime.datetime.utcnow()", "text 'utcnow('"),
        ("from datetime import date\nx = date.today()", "date.today"),
        ("m = __import__('os')", "__import__"),
    ],
)
def test_purity_check_catches_impurities(source: str, finding: str) -> None:
    """The purity check itself flags each forbidden import and clock read."""
    assert finding in impurities(source)


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import datetime",
        "from datetime import UTC, datetime, timedelta",
        "from .errors import Forbidden",
        "import unicodedata\nimport re",
        "from typing import Any",
    ],
)
def test_purity_check_allows_pure_imports(source: str) -> None:
    """Type imports of datetime, sibling domain modules and the standard text tools are allowed."""
    assert impurities(source) == []
