"""A latency histogram with log-spaced buckets (about 2 % wide), so the
generators can send theirs to the driver and the driver can add them up."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Buckets per factor e: 50 gives bucket edges about 2 % apart.
_SCALE = 50.0


@dataclass
class Histogram:
    """Counts of microsecond values by bucket index."""

    counts: dict[int, int] = field(default_factory=dict)
    total: int = 0
    max_us: int = 0

    def add(self, value_us: int) -> None:
        index = int(math.log1p(value_us if value_us > 0 else 0) * _SCALE)
        self.counts[index] = self.counts.get(index, 0) + 1
        self.total += 1
        if value_us > self.max_us:
            self.max_us = value_us

    def merge(self, other: Histogram) -> None:
        for index, count in other.counts.items():
            self.counts[index] = self.counts.get(index, 0) + count
        self.total += other.total
        self.max_us = max(self.max_us, other.max_us)

    def percentile_ms(self, fraction: float) -> float | None:
        """The value at ``fraction`` (0–1) in milliseconds: its bucket's upper edge."""
        if not self.total:
            return None
        rank = max(1, math.ceil(fraction * self.total))
        seen = 0
        for index in sorted(self.counts):
            seen += self.counts[index]
            if seen >= rank:
                upper_us = math.expm1((index + 1) / _SCALE)
                return round(min(upper_us, self.max_us) / 1000.0, 3)
        return round(self.max_us / 1000.0, 3)

    def summary(self) -> dict[str, float | None]:
        return {
            "p50_ms": self.percentile_ms(0.50),
            "p95_ms": self.percentile_ms(0.95),
            "p99_ms": self.percentile_ms(0.99),
            "max_ms": round(self.max_us / 1000.0, 3) if self.total else None,
        }

    def to_wire(self) -> dict[str, object]:
        return {"counts": [[k, v] for k, v in self.counts.items()], "max_us": self.max_us}

    @classmethod
    def from_wire(cls, data: dict[str, object]) -> Histogram:
        pairs = data["counts"]
        assert isinstance(pairs, list)
        counts = {int(k): int(v) for k, v in pairs}
        max_us = data["max_us"]
        assert isinstance(max_us, int)
        return cls(counts, sum(counts.values()), max_us)
