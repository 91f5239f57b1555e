"""What one run does: workload sizes, step lengths, rates; the full and quick presets."""

from __future__ import annotations

from dataclasses import dataclass

TARGETS = ("ours", "ours2", "bare", "socketio")


@dataclass(frozen=True)
class Plan:
    rooms: int = 200
    members: int = 10
    warmup_s: float = 2.0
    warmup_cap_s: float = 6.0  # longer warm-ups at low rates: every socket sends once first
    step_s: float = 5.0
    drain_s: float = 1.0
    p99_limit_ms: float = 50.0
    # Highest rate with p99 under the limit: multiply by search_factor from
    # search_start until a step fails, bisect to within search_tolerance, confirm.
    search_start: float = 2000.0
    search_factor: float = 3.0
    search_steps: int = 9
    search_tolerance: float = 1.15
    confirmations: int = 2
    # The floor, measured at its own rate: ours at floor_rate, floor_rounds
    # steps in a row (after the searches, before the equal load).
    floor_rate: float = 5000.0
    floor_rounds: int = 3
    # Then every target at one offered load (deliveries/s), A B C D A B C D …:
    # by default 80 % of the lowest highest rate, so that none is past its knee.
    equal_load: float | None = None
    equal_rounds: int = 2
    # Room-size sweep: sweep_rooms rooms of each size, each at sweep_room_rate sends/s.
    sizes: tuple[int, ...] = (2, 5, 10, 25, 50)
    sweep_rooms: int = 40
    sweep_room_rate: float = 1.0
    sweep_step_s: float = 4.0
    sweep_targets: tuple[str, ...] = ("ours", "bare", "socketio")
    idle_sockets: int = 5000
    targets: tuple[str, ...] = TARGETS
    quick: bool = False

    @classmethod
    def quick_run(cls) -> Plan:
        """About two minutes: a smoke test of every part, not a measurement."""
        return cls(
            rooms=20,
            members=5,
            warmup_s=0.5,
            warmup_cap_s=2.0,
            step_s=2.0,
            drain_s=0.5,
            equal_rounds=1,
            search_start=1000.0,
            search_steps=2,
            confirmations=0,
            floor_rounds=1,
            sizes=(2, 10),
            sweep_rooms=10,
            sweep_room_rate=2.0,
            sweep_step_s=2.0,
            idle_sockets=500,
            quick=True,
        )
