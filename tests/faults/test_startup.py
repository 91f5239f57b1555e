"""Instances that start together, as after a deploy or an outage."""

from __future__ import annotations

import contextlib

import pytest

from .conftest import MakeCluster
from .driver import wait_for


@pytest.mark.timeout(60)
async def test_two_instances_start_together_on_a_fresh_database(
    make_cluster: MakeCluster,
) -> None:
    """Two instances starting at once on a fresh database both come up."""
    cluster = await make_cluster(instances=0, stall_proxy=True, prepare=False)
    assert cluster.proxy is not None
    # B asks which collections exist; its answer is held back while A, on a
    # direct link, creates them all and comes up; then B reads its answer.
    cluster.proxy.hold_reply_to(b"listCollections")
    b = cluster.add_instance()
    a = cluster.add_instance(through_proxy=False)
    b.spawn()
    await wait_for(lambda: cluster.proxy is not None and cluster.proxy.holding, 30, "B's list")
    await a.start()
    cluster.proxy.release()
    with contextlib.suppress(RuntimeError):  # B exiting is what is looked for
        await b.wait_ready()
    assert b.process is not None and b.process.poll() is None, b.log_tail(4)
