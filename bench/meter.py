"""CPU seconds and resident memory of a target's server-side processes (psutil)."""

from __future__ import annotations

import psutil

from .stack import Target


class Meter:
    """Reads the processes of one target by role: app, store, broker."""

    def __init__(self, target: Target) -> None:
        self.roles = {
            role: [psutil.Process(child.pid) for child in children]
            for role, children in (
                ("app", target.app),
                ("store", target.store),
                ("broker", target.broker),
            )
            if children
        }

    def cpu(self) -> dict[str, float]:
        """Cumulative user + system CPU seconds per role."""
        totals: dict[str, float] = {}
        for role, processes in self.roles.items():
            times = [p.cpu_times() for p in processes]
            totals[role] = sum(t.user + t.system for t in times)
        return totals

    def rss(self) -> int:
        """Resident bytes of the app processes."""
        return sum(p.memory_info().rss for p in self.roles["app"])


def cpu_between(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {role: round(after[role] - before[role], 3) for role in after}
