"""Fixtures of the fault suite: a fresh cluster per test (nx-27017,
redis-server, server processes, each on free loopback ports with their own
folder, log and pid file) and a ledger whose figures are reported at the end
of the run (and as the test's ``figures`` property in JUnit XML)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from server.embedded import EmbeddedMongo
from tests.services import RedisServer

from .cluster import Cluster
from .ledger import Ledger

FIGURES = pytest.StashKey[list[str]]()
MakeCluster = Callable[..., Awaitable[Cluster]]


@pytest.fixture
async def make_cluster(tmp_path: Path) -> AsyncIterator[MakeCluster]:
    """``await make_cluster(instances=2, stall_proxy=False, prepare=True, **limits)``:
    ``prepare`` creates the collections and indexes before any instance starts."""
    made: list[Cluster] = []

    async def make(
        instances: int = 2, *, stall_proxy: bool = False, prepare: bool = True, **limits: object
    ) -> Cluster:
        cluster = Cluster(
            tmp_path,
            EmbeddedMongo(tmp_path / "nx-27017"),
            RedisServer(tmp_path / "redis"),
            limits=dict(limits),
        )
        made.append(cluster)
        await cluster.start(instances, stall_proxy=stall_proxy, prepare=prepare)
        return cluster

    yield make
    for cluster in made:
        await cluster.close()


@pytest.fixture
def ledger(request: pytest.FixtureRequest) -> Iterator[Ledger]:
    ledger = Ledger(request.node.name)
    yield ledger
    if ledger.figures is not None:
        line = ledger.figures.line()
        request.node.user_properties.append(("figures", line))
        request.config.stash.setdefault(FIGURES, []).append(line)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("fault figures")
        for line in lines:
            terminalreporter.write_line(line)
