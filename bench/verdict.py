"""Whether a step held: p99 under the limit, everything delivered, no errors,
and a generator that kept to its schedule (else the generator is what failed)."""

from __future__ import annotations

from dataclasses import dataclass

from .driver import Step

_DELIVERED = 0.99  # of the expected deliveries
_ON_SCHEDULE = 0.97  # of the scheduled sends
_LATE = 0.05  # share of sends more than 10 ms behind schedule
_BUSY = 0.90  # a generator using this share of its core is saturated


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reason: str  # "ok", or why not
    generator_bound: bool  # the generator, not the server, was at its limit
    latency_only: bool = False  # failed on p99 alone: everything arrived, nothing cut short

    def to_dict(self) -> dict[str, object]:
        return {
            "passed": self.passed,
            "reason": self.reason,
            "generator_bound": self.generator_bound,
        }


def judge(step: Step, p99_limit_ms: float) -> Verdict:
    # A step cut short for the target's backlog sent less on purpose.
    behind = not step.aborted and (
        step.sent < _ON_SCHEDULE * step.scheduled or step.late > _LATE * max(step.sent, 1)
    )
    busy = max(step.generator_cpu, default=0.0) >= _BUSY
    p99 = step.deliveries.percentile_ms(0.99)
    if step.aborted:
        reason = "fell a second of sends behind: step cut short"
    elif step.errors:
        reason = "errors: " + ", ".join(f"{k}×{v}" for k, v in sorted(step.errors.items()))
    elif step.closed:
        reason = f"{step.closed} sockets closed"
    elif step.deliveries.total < _DELIVERED * step.expected:
        reason = f"delivered {step.deliveries.total} of {step.expected} within the drain"
    elif p99 is None or p99 >= p99_limit_ms:
        return Verdict(False, f"p99 {p99} ms", behind or busy, latency_only=True)
    elif behind:
        reason = "generator behind schedule"
    else:
        return Verdict(True, "ok", busy)
    return Verdict(False, reason, behind or busy)
