"""Private frames to chosen people on every instance: alerts to a program's
staff, a check-in answer to staff, a rejection to its author.

They ride the hub's control channel, so every instance delivers them to its
own sockets. Like presence they are not sequenced: what must survive a
disconnect is also stored (alert list, queues) and read back on reconnect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from ..gateway.hub import Hub
from ..gateway.protocol import ControlKind


class Notifier:
    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    async def staff(self, program_id: str, frame: dict[str, Any]) -> None:
        await self._send({"program_id": program_id, "staff": True, "frame": frame})

    async def members(
        self, program_id: str, member_ids: Iterable[str], frame: dict[str, Any]
    ) -> None:
        await self._send(
            {"program_id": program_id, "members": sorted(set(member_ids)), "frame": frame}
        )

    async def _send(self, notice: dict[str, Any]) -> None:
        await self._hub.publish_control(ControlKind.NOTIFY, orjson.dumps(notice).decode())
