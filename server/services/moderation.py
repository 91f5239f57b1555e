"""Moderation (rule 8): remove, pre-moderate, mute, remove from a room, lock,
pin, slow mode, and reports. Every action is audited (who, what, to whom,
when, reason) — never with message text."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..domain.access import check_is_staff
from ..domain.audit import AuditAction
from ..domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..domain.flow import check_mute, check_reason, check_slow_mode
from ..domain.model import Account, EventType, MessageState
from ..storage.directory import MongoDirectory
from ..storage.events import MongoEventStore
from ..storage.mongo import Doc
from ..storage.queues import MongoQueue
from .audit import AuditTrail
from .circle import RoomStateWriter
from .clock import new_id, now_ms, utcnow
from .notify import Notifier
from .rooms import RoomAccess, RoomService, canonical_client_id


class ModerationService:
    def __init__(
        self,
        directory: MongoDirectory,
        events: MongoEventStore,
        rooms: RoomService,
        writer: RoomStateWriter,
        pending: MongoQueue,
        reports: MongoQueue,
        notifier: Notifier,
        audit: AuditTrail,
    ) -> None:
        self._directory = directory
        self._events = events
        self._rooms = rooms
        self._writer = writer
        self._pending = pending
        self._reports = reports
        self._notifier = notifier
        self._audit = audit

    # messages ---------------------------------------------------------------------
    async def remove_message(
        self, account: Account, room_id: str, message_id: str, reason: str, client_id: str
    ) -> dict[str, Any]:
        """Staff remove any message: the text is gone, a tombstone with the reason stays."""
        access = await self._writer.staff_access(account, room_id)
        why = check_reason(reason, required=True)
        message = await self._events.get_message(message_id)
        if message is None or message.room_id != room_id:
            raise NotFound("That message isn't available any more.", code="message_not_found")
        previous = await self._events.find_change(
            room_id, access.member.id, canonical_client_id(client_id)
        )
        if previous is None and message.state is not MessageState.VISIBLE:
            raise Conflict("That message was already taken down.", code="already_removed")
        await self._events.apply_delete(message_id, MessageState.REMOVED, why)
        doc: Doc = {
            "_id": new_id(),
            "room_id": room_id,
            "type": EventType.MESSAGE_REMOVED.value,
            "author_id": access.member.id,
            "client_id": canonical_client_id(client_id),
            "created_at": utcnow(),
            "message_id": message_id,
            "reason": why,
        }
        stored, created = await self._events.append(doc)
        await self._rooms.publish_stored(room_id, stored)
        if created:
            await self._audit.record(
                access.program.id,
                AuditAction.MESSAGE_REMOVED,
                access.member.id,
                target_id=message.author_id,
                room_id=room_id,
                message_id=message_id,
                reason=why,
            )
        return {
            "type": "ack",
            "client_id": client_id,
            "message_id": message_id,
            "seq": stored["seq"],
            "event": stored["type"],
            "duplicate": not created,
        }

    async def pin(
        self, account: Account, room_id: str, message_id: str, on: bool, client_id: str
    ) -> RoomAccess:
        message = await self._events.get_message(message_id)
        if (
            message is None
            or message.room_id != room_id
            or message.state is not MessageState.VISIBLE
        ):
            raise NotFound("That message isn't available any more.", code="message_not_found")

        def change(access: RoomAccess) -> tuple[Any, bool]:
            pinned = [m for m in access.state.pinned if m != message_id]
            if on:
                pinned.append(message_id)
            return replace(access.state, pinned=tuple(pinned[-20:])), access.room.locked

        access = await self._writer.change(
            account,
            room_id,
            change,
            event=EventType.MESSAGE_PINNED if on else EventType.MESSAGE_UNPINNED,
            client_id=client_id,
            data=lambda a: {"message_id": message_id, "pinned": list(a.state.pinned)},
        )
        await self._audit.record(
            access.program.id,
            AuditAction.MESSAGE_PINNED if on else AuditAction.MESSAGE_UNPINNED,
            access.member.id,
            target_id=message.author_id,
            room_id=room_id,
            message_id=message_id,
        )
        return access

    # room settings -------------------------------------------------------------------
    async def settings(
        self,
        account: Account,
        room_id: str,
        *,
        locked: bool | None,
        premoderation: bool | None,
        slow_mode_s: int | None,
        client_id: str,
    ) -> RoomAccess:
        if slow_mode_s is not None:
            check_slow_mode(slow_mode_s)

        def change(access: RoomAccess) -> tuple[Any, bool]:
            state = access.state
            if premoderation is not None:
                state = replace(state, premoderation=premoderation)
            if slow_mode_s is not None:
                state = replace(state, slow_mode_s=slow_mode_s)
            return state, access.room.locked if locked is None else locked

        access = await self._writer.change(
            account, room_id, change, event=EventType.ROOM_SETTINGS, client_id=client_id
        )
        await self._audit.record(
            access.program.id,
            AuditAction.ROOM_SETTINGS,
            access.member.id,
            room_id=room_id,
            locked=access.room.locked,
            premoderation=access.state.premoderation,
            slow_mode_s=access.state.slow_mode_s,
        )
        return access

    # members -------------------------------------------------------------------------
    async def mute(
        self, account: Account, room_id: str, member_id: str, seconds: int, reason: str
    ) -> dict[str, Any]:
        target = await self._target(account, room_id, member_id)
        why = check_reason(reason)
        until = now_ms() + seconds * 1000 if seconds else 0
        if seconds:
            check_mute(target, seconds)

        def change(access: RoomAccess) -> tuple[Any, bool]:
            muted = tuple((m, u) for m, u in access.state.muted if m != member_id and u > now_ms())
            if until:
                muted += ((member_id, until),)
            return replace(access.state, muted=muted), access.room.locked

        access = await self._writer.change(account, room_id, change, event=None)
        await self._audit.record(
            access.program.id,
            AuditAction.MEMBER_MUTED if until else AuditAction.MEMBER_UNMUTED,
            access.member.id,
            target_id=member_id,
            room_id=room_id,
            seconds=seconds,
            reason=why,
        )
        await self._notifier.members(
            access.program.id,
            [member_id],
            {"type": "muted", "room_id": room_id, "until_ms": until or None},
        )
        return {
            "type": "muted",
            "room_id": room_id,
            "member_id": member_id,
            "until_ms": until or None,
        }

    async def remove_from_room(
        self, account: Account, room_id: str, member_id: str, reason: str, restore: bool = False
    ) -> dict[str, Any]:
        """The member's open sockets leave the room at once (every instance)."""
        target = await self._target(account, room_id, member_id)
        why = check_reason(reason)
        if target.is_staff:
            raise InvalidInput("Staff can't be removed from a room.", code="cannot_moderate_staff")

        def change(access: RoomAccess) -> tuple[Any, bool]:
            removed = set(access.state.removed)
            (removed.discard if restore else removed.add)(member_id)
            return replace(access.state, removed=frozenset(removed)), access.room.locked

        access = await self._writer.change(account, room_id, change, event=None)
        await self._audit.record(
            access.program.id,
            AuditAction.MEMBER_RESTORED_TO_ROOM
            if restore
            else AuditAction.MEMBER_REMOVED_FROM_ROOM,
            access.member.id,
            target_id=member_id,
            room_id=room_id,
            reason=why,
        )
        return {
            "type": "member_restored" if restore else "member_removed",
            "room_id": room_id,
            "member_id": member_id,
        }

    async def _target(self, account: Account, room_id: str, member_id: str) -> Any:
        access = await self._writer.staff_access(account, room_id)
        target = await self._directory.get_member(member_id)
        if target is None or target.program_id != access.program.id:
            raise NotFound("We couldn't find that member.", code="member_not_found")
        return target

    # pre-moderation --------------------------------------------------------------------
    async def pending(self, account: Account, room_id: str) -> list[dict[str, Any]]:
        access = await self._rooms.access(account, room_id)
        return await self._rooms.pending_for(access)

    async def approve(self, account: Account, room_id: str, pending_id: str) -> dict[str, Any]:
        access = await self._writer.staff_access(account, room_id)
        doc = await self._open_pending(room_id, pending_id)
        author = await self._directory.get_member(doc["author_id"])
        if author is None:
            raise NotFound("We couldn't find that member.", code="member_not_found")
        body = (await self._rooms.pending_view(doc))["body"] or ""
        # Stored under the author's own client id: their retry then finds it.
        stored, _, message = await self._rooms.publish_message(
            author,
            access.program,
            room_id,
            doc["client_id"],
            body,
            doc.get("reply_to"),
            # Checked (and staff alerted) when it was held.
            check_risk=False,
        )
        closed = await self._pending.close(
            pending_id,
            {
                "status": "approved",
                "message_id": message.id,
                "decided_by": access.member.id,
                "decided_ms": now_ms(),
            },
        )
        if closed is not None:
            await self._audit.record(
                access.program.id,
                AuditAction.MESSAGE_APPROVED,
                access.member.id,
                target_id=author.id,
                room_id=room_id,
                message_id=message.id,
            )
            await self._notifier.members(
                access.program.id,
                [author.id],
                {
                    "type": "pending_approved",
                    "room_id": room_id,
                    "pending_id": pending_id,
                    "client_id": doc["client_id"],
                    "message_id": message.id,
                    "seq": stored["seq"],
                },
            )
        return {
            "type": "approved",
            "pending_id": pending_id,
            "message_id": message.id,
            "seq": stored["seq"],
        }

    async def reject(
        self, account: Account, room_id: str, pending_id: str, reason: str
    ) -> dict[str, Any]:
        access = await self._writer.staff_access(account, room_id)
        why = check_reason(reason, required=True)
        doc = await self._open_pending(room_id, pending_id)
        closed = await self._pending.close(
            pending_id,
            {
                "status": "rejected",
                "reason": why,
                "sealed": None,
                "decided_by": access.member.id,
                "decided_ms": now_ms(),
            },
        )
        if closed is None:
            raise Conflict("Someone on the team already decided on this.", code="already_decided")
        await self._audit.record(
            access.program.id,
            AuditAction.MESSAGE_REJECTED,
            access.member.id,
            target_id=doc["author_id"],
            room_id=room_id,
            reason=why,
        )
        await self._notifier.members(
            access.program.id,
            [doc["author_id"]],
            {
                "type": "pending_rejected",
                "room_id": room_id,
                "pending_id": pending_id,
                "client_id": doc["client_id"],
                "reason": why,
            },
        )
        return {"type": "rejected", "pending_id": pending_id}

    async def _open_pending(self, room_id: str, pending_id: str) -> Doc:
        doc = await self._pending.get(pending_id)
        if doc is None or doc["room_id"] != room_id:
            raise NotFound("We couldn't find that held message.", code="pending_not_found")
        if doc["status"] != "open":
            raise Conflict("Someone on the team already decided on this.", code="already_decided")
        return doc

    # reports ---------------------------------------------------------------------------
    async def report(
        self, account: Account, room_id: str, message_id: str, reason: str
    ) -> dict[str, Any]:
        """Anyone who can read a message can report it to staff, with a reason."""
        access = await self._rooms.access(account, room_id)
        why = check_reason(reason, required=True)
        message = await self._events.get_message(message_id)
        if message is None or message.room_id != room_id:
            raise NotFound("That message isn't available any more.", code="message_not_found")
        if message.author_id == access.member.id:
            raise Forbidden("You can delete your own message instead.", code="own_message")
        report_id = f"{message_id}:{access.member.id}"
        new: Doc = {
            "_id": report_id,
            "program_id": access.program.id,
            "room_id": room_id,
            "message_id": message_id,
            "author_id": message.author_id,
            "reporter_id": access.member.id,
            "reason": why,
            "status": "open",
            "created_ms": now_ms(),
        }
        doc = await self._reports.add(new)
        if doc is new:  # a repeated report of the same message is the same report
            await self._audit.record(
                access.program.id,
                AuditAction.REPORT_FILED,
                access.member.id,
                target_id=message.author_id,
                room_id=room_id,
                message_id=message_id,
                reason=why,
            )
            await self._notifier.staff(
                access.program.id, {"type": "report", "report": _report_view(doc)}
            )
        return {"type": "reported", "report_id": report_id}

    async def open_reports(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        check_is_staff(await self._directory.member_for(program_id, account.id))
        return [
            _report_view(d)
            for d in await self._reports.find({"program_id": program_id, "status": "open"})
        ]

    async def resolve_report(
        self, account: Account, report_id: str, resolution: str
    ) -> dict[str, Any]:
        doc = await self._reports.get(report_id)
        if doc is None:
            raise NotFound("We couldn't find that report.", code="report_not_found")
        me = check_is_staff(await self._directory.member_for(doc["program_id"], account.id))
        why = check_reason(resolution)
        closed = await self._reports.close(
            report_id,
            {
                "status": "resolved",
                "resolution": why,
                "resolved_by": me.id,
                "resolved_ms": now_ms(),
            },
        )
        if closed is None:
            raise Conflict("This report was already resolved.", code="already_resolved")
        await self._audit.record(
            doc["program_id"],
            AuditAction.REPORT_RESOLVED,
            me.id,
            target_id=doc["reporter_id"],
            room_id=doc["room_id"],
            message_id=doc["message_id"],
            resolution=why,
        )
        return _report_view(closed)


def _report_view(doc: Doc) -> dict[str, Any]:
    return {
        k: doc.get(k)
        for k in (
            "room_id",
            "message_id",
            "author_id",
            "reporter_id",
            "reason",
            "status",
            "created_ms",
            "resolution",
            "resolved_by",
            "resolved_ms",
        )
    } | {"report_id": doc["_id"]}
