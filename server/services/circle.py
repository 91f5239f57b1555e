"""Circle flow (rules 9 and 10): phases, the talking piece, check-ins and
support requests.

Room state changes are compare-and-set writes on the room document followed
by a sequenced room event carrying the new state, so every screen — live or
resuming — ends in the same state.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import structlog

from ..crypto.keyring import KeyRing
from ..domain.access import can_read_room, check_is_staff, check_member_has_access
from ..domain.audit import AuditAction
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.flow import (
    Phase,
    RoomState,
    TurnEnd,
    check_phase_change,
    check_reason,
    check_turn_end,
    start_round,
)
from ..domain.model import SESSION_ROOM_KINDS, Account, EventType
from ..gateway.hub import Hub
from ..gateway.protocol import ControlKind
from ..storage.directory import MongoDirectory
from ..storage.queues import MongoQueue
from .alerts import AlertKind, AlertService
from .audit import AuditTrail
from .clock import new_id, now_ms
from .limiter import Limiter
from .notify import Notifier
from .rooms import RoomAccess, RoomService

log = structlog.get_logger(__name__)
_CAS_TRIES = 8
StateChange = Callable[[RoomAccess], tuple[RoomState, bool]]
NOTE_MAX_CHARS = 1000


def fresh_client_id() -> str:
    return str(uuid.uuid4())


class RoomStateWriter:
    """Compare-and-set a room's state, then announce it (event and/or control)."""

    def __init__(self, directory: MongoDirectory, rooms: RoomService, hub: Hub) -> None:
        self._directory = directory
        self._rooms = rooms
        self._hub = hub

    async def staff_access(self, account: Account, room_id: str) -> RoomAccess:
        access = await self._rooms.access(account, room_id)
        check_is_staff(access.member)
        return access

    async def change(
        self,
        account: Account,
        room_id: str,
        change: StateChange,
        *,
        event: EventType | None,
        client_id: str | None = None,
        data: Callable[[RoomAccess], dict[str, Any]] | None = None,
        staff_only: bool = True,
    ) -> RoomAccess:
        """``change`` raises to refuse; ``staff_only=False`` leaves the who-may
        check to ``change`` (a speaker passing the talking piece)."""
        for _ in range(_CAS_TRIES):
            if staff_only:
                access = await self.staff_access(account, room_id)
            else:
                access = await self._rooms.access(account, room_id)
            state, locked = change(access)
            record = await self._directory.update_room(room_id, access.version, locked, state)
            if record is None:
                continue  # someone changed the room meanwhile: re-read and re-apply
            room, state, version = record
            updated = RoomAccess(room, access.program, access.member, state, version)
            # Every instance drops what it cached about this room at once.
            await self._hub.publish_control(ControlKind.ROOM_CHANGED, room_id)
            if event is not None:
                payload = data(updated) if data else state.public_view(room.locked)
                await self._rooms.append_state_event(
                    updated, event, payload, client_id or fresh_client_id()
                )
            return updated
        raise Conflict("The room is changing quickly — please retry.", code="room_busy")


class CircleService:
    def __init__(
        self,
        directory: MongoDirectory,
        rooms: RoomService,
        writer: RoomStateWriter,
        alerts: AlertService,
        checkins: MongoQueue,
        answers: MongoQueue,
        keyring: KeyRing,
        notifier: Notifier,
        audit: AuditTrail,
        hub: Hub,
        limiter: Limiter,
        speaker_grace_s: float,
    ) -> None:
        self._directory = directory
        self._rooms = rooms
        self._writer = writer
        self._alerts = alerts
        self._checkins = checkins
        self._answers = answers
        self._keyring = keyring
        self._notifier = notifier
        self._audit = audit
        self._hub = hub
        self._limiter = limiter
        self._grace_s = speaker_grace_s
        self._tasks: set[asyncio.Task[None]] = set()

    # phases -------------------------------------------------------------------
    async def set_phase(
        self, account: Account, room_id: str, phase: Phase, client_id: str | None = None
    ) -> RoomAccess:
        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            check_phase_change(access.room, access.state, phase)
            # A quiet phase ends any sharing round; the check-in stays open.
            round_ = None if phase is not Phase.INTEGRATION else access.state.round
            return replace(access.state, phase=phase, round=round_), access.room.locked

        access = await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.ROOM_PHASE,
            client_id=client_id,
            data=lambda a: {"phase": phase.value, "state": a.state.public_view(a.room.locked)},
        )
        await self._audit.record(
            access.program.id,
            AuditAction.PHASE_CHANGED,
            access.member.id,
            room_id=room_id,
            phase=phase.value,
        )
        return access

    # the talking piece ------------------------------------------------------------
    async def start_round(
        self, account: Account, room_id: str, order: list[str], client_id: str | None = None
    ) -> RoomAccess:
        present = await self._present_participants(account, room_id)
        round_id = new_id()

        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            if access.room.kind not in SESSION_ROOM_KINDS:
                raise InvalidInput(
                    "Sharing rounds run in session rooms.", code="not_a_session_room"
                )
            if access.state.round is not None:
                raise Conflict("A sharing round is already running.", code="round_running")
            return replace(
                access.state, round=start_round(round_id, order, present)
            ), access.room.locked

        access = await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.ROUND_STARTED,
            client_id=client_id,
            data=_round_data,
        )
        await self._audit.record(
            access.program.id,
            AuditAction.ROUND_STARTED,
            access.member.id,
            room_id=room_id,
            speakers=len(access.state.round.order) if access.state.round else 0,
        )
        self._watch_speaker(access)
        return access

    async def end_turn(
        self, account: Account, room_id: str, how: TurnEnd, client_id: str | None = None
    ) -> RoomAccess:
        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            moved = check_turn_end(access.member, access.state.round, how)
            return replace(
                access.state, round=None if moved.finished else moved
            ), access.room.locked

        access = await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.ROUND_TURN,
            client_id=client_id,
            data=lambda a: {**_round_data(a), "how": how.value},
            staff_only=False,
        )
        self._watch_speaker(access)
        return access

    async def end_round(
        self, account: Account, room_id: str, client_id: str | None = None
    ) -> RoomAccess:
        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            if access.state.round is None:
                raise Conflict("No sharing round is running here.", code="no_round")
            return replace(access.state, round=None), access.room.locked

        return await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.ROUND_ENDED,
            client_id=client_id,
            data=_round_data,
        )

    async def _present_participants(self, account: Account, room_id: str) -> list[str]:
        """Participants present in the room, in the order they joined."""
        access = await self._writer.staff_access(account, room_id)
        online = await self._hub.online_everywhere(room_id)
        members = await self._directory.program_members(access.program.id)
        return [
            m.id
            for m in members
            if not m.is_staff
            and m.status.has_access
            and can_read_room(m, access.room)
            and m.id not in access.state.removed
            and (m.id in online or not online)
        ]

    def _watch_speaker(self, access: RoomAccess) -> None:
        """A speaker who is not connected is skipped after a grace period."""
        round_ = access.state.round
        if round_ is None or round_.current is None:
            return
        task = asyncio.get_running_loop().create_task(
            self._skip_if_absent(access, round_.id, round_.index, round_.current)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _skip_if_absent(
        self, access: RoomAccess, round_id: str, index: int, speaker: str
    ) -> None:
        deadline = asyncio.get_running_loop().time() + self._grace_s
        while asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(min(1.0, self._grace_s))
            if speaker in await self._hub.online_everywhere(access.room.id):
                return
        record = await self._directory.room_record(access.room.id)
        if record is None:
            return
        room, state, version = record
        round_ = state.round
        if round_ is None or round_.id != round_id or round_.index != index:
            return
        moved = replace(round_, index=index + 1)
        new_state = replace(state, round=None if moved.finished else moved)
        updated = await self._directory.update_room(room.id, version, room.locked, new_state)
        if updated is None:
            return
        current = RoomAccess(updated[0], access.program, access.member, updated[1], updated[2])
        await self._hub.publish_control(ControlKind.ROOM_CHANGED, room.id)
        await self._rooms.append_state_event(
            current,
            EventType.ROUND_TURN,
            {
                **_round_data(current),
                "how": TurnEnd.SKIP.value,
                "skipped": speaker,
                "reason": "disconnected",
            },
            fresh_client_id(),
        )
        self._watch_speaker(current)

    # check-ins --------------------------------------------------------------------
    async def open_checkin(
        self, account: Account, room_id: str, prompt: str, client_id: str | None = None
    ) -> dict[str, Any]:
        checkin_id = new_id()
        text = check_reason(prompt) or "How are you doing right now?"

        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            if access.state.checkin_id is not None:
                raise Conflict("A check-in is already open here.", code="checkin_open")
            return replace(access.state, checkin_id=checkin_id), access.room.locked

        access = await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.CHECKIN_OPENED,
            client_id=client_id,
            data=lambda a: {"checkin_id": checkin_id, "prompt": text},
        )
        await self._checkins.add(
            {
                "_id": checkin_id,
                "room_id": room_id,
                "program_id": access.program.id,
                "prompt": text,
                "opened_by": access.member.id,
                "status": "open",
                "created_ms": now_ms(),
            }
        )
        await self._audit.record(
            access.program.id, AuditAction.CHECKIN_OPENED, access.member.id, room_id=room_id
        )
        return {"checkin_id": checkin_id, "prompt": text}

    async def close_checkin(
        self, account: Account, room_id: str, client_id: str | None = None
    ) -> dict[str, Any]:
        closed: dict[str, str] = {}

        def change(access: RoomAccess) -> tuple[RoomState, bool]:
            if access.state.checkin_id is None:
                raise Conflict("No check-in is open here.", code="no_checkin")
            closed["id"] = access.state.checkin_id
            return replace(access.state, checkin_id=None), access.room.locked

        await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.CHECKIN_CLOSED,
            client_id=client_id,
            data=lambda a: {"checkin_id": closed["id"]},
        )
        await self._checkins.close(closed["id"], {"status": "closed", "closed_ms": now_ms()})
        return {"checkin_id": closed["id"]}

    async def answer_checkin(
        self, account: Account, room_id: str, checkin_id: str, answer: str, note: str
    ) -> dict[str, Any]:
        """A participant answers ok / need support; the note is for staff only.
        Answering works in every phase and while muted."""
        access = await self._rooms.access(account, room_id)
        checkin = await self._checkins.get(checkin_id)
        if checkin is None or checkin["room_id"] != room_id:
            raise NotFound("We couldn't find that check-in.", code="checkin_not_found")
        if access.member.is_staff:
            raise InvalidInput("Check-ins are for participants.", code="not_a_participant")
        if checkin["status"] != "open":
            raise Conflict("This check-in has closed.", code="checkin_closed")
        note = _clean_note(note)
        answer_id = f"{checkin_id}:{access.member.id}"
        await self._answers.put(
            {
                "_id": answer_id,
                "checkin_id": checkin_id,
                "room_id": room_id,
                "member_id": access.member.id,
                "answer": answer,
                "note": await self._keyring.seal(access.program.id, note, answer_id)
                if note
                else None,
                "status": "answered",
                "created_ms": now_ms(),
            }
        )
        view = {
            "checkin_id": checkin_id,
            "room_id": room_id,
            "member_id": access.member.id,
            "display_name": access.member.display_name,
            "answer": answer,
            "note": note or None,
        }
        await self._notifier.staff(access.program.id, {"type": "checkin_answer", **view})
        if answer == "need_support":
            await self._alerts.raise_alert(
                access.member,
                AlertKind.NEED_SUPPORT,
                room_id=room_id,
                checkin_id=checkin_id,
                note=note,
            )
        return {"type": "checkin_answered", "checkin_id": checkin_id, "answer": answer}

    async def checkin_status(
        self, account: Account, room_id: str, checkin_id: str
    ) -> dict[str, Any]:
        """Staff see who answered what (and their notes) and who hasn't yet."""
        access = await self._writer.staff_access(account, room_id)
        checkin = await self._checkins.get(checkin_id)
        if checkin is None or checkin["room_id"] != room_id:
            raise NotFound("We couldn't find that check-in.", code="checkin_not_found")
        answers = {a["member_id"]: a for a in await self._answers.find({"checkin_id": checkin_id})}
        members = await self._directory.program_members(access.program.id)
        expected = [
            m
            for m in members
            if not m.is_staff and m.status.has_access and can_read_room(m, access.room)
        ]
        answered = []
        for m in expected:
            if m.id in answers:
                a = answers[m.id]
                note = await self._keyring.open_one(a["note"], a["_id"]) if a.get("note") else None
                answered.append(
                    {
                        "member_id": m.id,
                        "display_name": m.display_name,
                        "answer": a["answer"],
                        "note": note,
                        "at_ms": a["created_ms"],
                    }
                )
        return {
            "checkin_id": checkin_id,
            "prompt": checkin["prompt"],
            "status": checkin["status"],
            "answered": answered,
            "waiting": [
                {"member_id": m.id, "display_name": m.display_name}
                for m in expected
                if m.id not in answers
            ],
        }

    # support ------------------------------------------------------------------------
    async def request_support(
        self, account: Account, program_id: str, room_id: str | None, note: str
    ) -> dict[str, Any]:
        """Any time, any phase, muted or not, outside one's turn: staff hear at once.
        Works before admission too — asking for help is never gated."""
        member = check_member_has_access(await self._directory.member_for(program_id, account.id))
        if member.is_staff:
            raise InvalidInput("Support requests come from participants.", code="not_a_participant")
        # Generous, but bounded: each request alerts every staff member.
        await self._limiter.check("support", member.id)
        if room_id is not None:
            room = await self._directory.get_room(room_id)
            if room is None or not can_read_room(member, room):
                room_id = None
        alert = await self._alerts.raise_alert(
            member, AlertKind.SUPPORT_REQUEST, room_id=room_id, note=_clean_note(note)
        )
        return {"type": "support_requested", "alert_id": alert["alert_id"]}


def _round_data(access: RoomAccess) -> dict[str, Any]:
    round_ = access.state.round
    return {"round": round_.to_dict() if round_ else None}


def _clean_note(note: str) -> str:
    cleaned = note.strip()
    if len(cleaned) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"A note can be at most {NOTE_MAX_CHARS} characters.", code="note_too_long"
        )
    return cleaned
