"""Attendance: who joined each session room and when they left; staff see who
is present and who has not come."""

from __future__ import annotations

from typing import Any

from ..domain.access import can_read_room, check_is_staff
from ..domain.model import SESSION_ROOM_KINDS, Account, Member, Room
from ..storage.directory import MongoDirectory
from ..storage.queues import MongoQueue
from .clock import new_id, now_ms
from .rooms import RoomService


class AttendanceService:
    def __init__(self, directory: MongoDirectory, visits: MongoQueue, rooms: RoomService) -> None:
        self._directory = directory
        self._visits = visits
        self._rooms = rooms

    async def arrived(self, member: Member, room: Room) -> str | None:
        """Record a visit to a session room; the id to close it with on leaving."""
        if room.kind not in SESSION_ROOM_KINDS:
            return None
        visit_id = new_id()
        at = now_ms()
        await self._visits.add(
            {
                "_id": visit_id,
                "room_id": room.id,
                "program_id": room.program_id,
                "member_id": member.id,
                "status": "open",
                "joined_ms": at,
                "left_ms": None,
                "created_ms": at,
            }
        )
        return visit_id

    async def left(self, visit_id: str) -> None:
        await self._visits.close(visit_id, {"status": "left", "left_ms": now_ms()})

    async def report(self, account: Account, room_id: str, online: set[str]) -> dict[str, Any]:
        access = await self._rooms.access(account, room_id)
        check_is_staff(access.member)
        visits = await self._visits.find({"room_id": room_id}, limit=10_000)
        members = await self._directory.program_members(access.program.id)
        expected = [
            m
            for m in members
            if not m.is_staff and m.status.has_access and can_read_room(m, access.room)
        ]
        by_member: dict[str, list[dict[str, Any]]] = {}
        for visit in visits:
            by_member.setdefault(visit["member_id"], []).append(visit)
        came = []
        for m in expected:
            mine = by_member.get(m.id)
            if not mine:
                continue
            came.append(
                {
                    "member_id": m.id,
                    "display_name": m.display_name,
                    "present": m.id in online,
                    "first_joined_ms": min(v["joined_ms"] for v in mine),
                    "last_left_ms": max((v["left_ms"] or 0 for v in mine), default=0) or None,
                    "visits": [
                        {"joined_ms": v["joined_ms"], "left_ms": v["left_ms"]} for v in mine
                    ],
                }
            )
        return {
            "room_id": room_id,
            "attended": came,
            "not_come": [
                {"member_id": m.id, "display_name": m.display_name}
                for m in expected
                if m.id not in by_member
            ],
        }
