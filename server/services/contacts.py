"""Contact cards after unlock (rule 6) and direct rooms between participants
who share with each other (rule 5).

A card's fields are sealed as one value under the program's data key. The
sharing choice holds member ids only. Staff have no way in: every call
checks that the caller is a participant of an unlocked program.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..crypto.keyring import KeyRing
from ..domain.access import check_member_has_access
from ..domain.audit import AuditAction
from ..domain.confidentiality import (
    CARD_FIELDS,
    ShareMode,
    Sharing,
    check_can_use_cards,
    check_share_targets,
    mutual,
)
from ..domain.errors import Forbidden, InvalidInput
from ..domain.model import Account, Member, Program, Room, RoomKind
from ..storage.cards import MongoCardStore
from ..storage.directory import MongoDirectory
from ..storage.mongo import Doc
from .audit import AuditTrail
from .clock import now_ms
from .programs import ProgramService

CARD_FIELD_MAX_CHARS = 500


def _sharing(member_id: str, doc: Doc | None) -> Sharing:
    if doc is None:
        return Sharing(member_id)
    return Sharing(
        member_id, ShareMode(doc.get("mode", ShareMode.NOBODY)), frozenset(doc.get("chosen", ()))
    )


def _aad(member_id: str) -> str:
    return f"card:{member_id}"


class ContactService:
    def __init__(
        self,
        directory: MongoDirectory,
        cards: MongoCardStore,
        keyring: KeyRing,
        programs: ProgramService,
        audit: AuditTrail,
    ) -> None:
        self._directory = directory
        self._cards = cards
        self._keyring = keyring
        self._programs = programs
        self._audit = audit

    async def _me(self, account: Account, program_id: str) -> tuple[Member, Program]:
        program = await self._programs.load(program_id)
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        check_can_use_cards(me, program)
        return me, program

    async def my_card(self, account: Account, program_id: str) -> dict[str, Any]:
        me, _ = await self._me(account, program_id)
        doc = await self._cards.get(me.id)
        return await self._view(me.id, doc, own=True)

    async def write_card(
        self, account: Account, program_id: str, fields: dict[str, str | None]
    ) -> tuple[dict[str, Any], set[str]]:
        """Save the card's fields; returns the view and who may now see a change."""
        me, program = await self._me(account, program_id)
        cleaned = {k: v.strip() for k, v in fields.items() if k in CARD_FIELDS and v and v.strip()}
        if any(len(v) > CARD_FIELD_MAX_CHARS for v in cleaned.values()):
            raise InvalidInput(
                f"Each card field can be at most {CARD_FIELD_MAX_CHARS} characters.",
                code="card_field_too_long",
            )
        sealed = await self._keyring.seal(program.id, orjson.dumps(cleaned).decode(), _aad(me.id))
        doc = await self._cards.put(me.id, program.id, {"sealed": sealed, "updated_ms": now_ms()})
        return await self._view(me.id, doc, own=True), await self._eligible(me, program.id, doc)

    async def set_sharing(
        self, account: Account, program_id: str, mode: ShareMode, chosen: list[str]
    ) -> tuple[dict[str, Any], set[str]]:
        """Share with everyone who shares back, with chosen members, or nobody."""
        me, program = await self._me(account, program_id)
        members = await self._directory.program_members(program_id)
        picked = check_share_targets(chosen, members) if mode is ShareMode.CHOSEN else frozenset()
        before = await self._cards.get(me.id)
        was = await self._eligible(me, program.id, before)
        doc = await self._cards.put(
            me.id,
            program.id,
            {"mode": mode.value, "chosen": sorted(picked), "updated_ms": now_ms()},
        )
        await self._audit.record(
            program.id,
            AuditAction.CARD_SHARING,
            me.id,
            target_id=me.id,
            mode=mode.value,
            chosen_count=len(picked),
        )
        # Both who gains and who loses sight of the card hear about it.
        return await self._view(me.id, doc, own=True), was | await self._eligible(
            me, program.id, doc
        )

    async def delete_card(self, account: Account, program_id: str) -> set[str]:
        me, program = await self._me(account, program_id)
        doc = await self._cards.get(me.id)
        was = await self._eligible(me, program.id, doc)
        await self._cards.delete(me.id)
        return was

    async def visible_cards(self, account: Account, program_id: str) -> list[dict[str, Any]]:
        """Cards of the participants who share with me and with whom I share."""
        me, program = await self._me(account, program_id)
        docs = {doc["_id"]: doc for doc in await self._cards.for_program(program.id)}
        mine = _sharing(me.id, docs.get(me.id))
        names = {m.id: m for m in await self._directory.program_members(program.id)}
        out: list[dict[str, Any]] = []
        for member_id, doc in docs.items():
            owner = names.get(member_id)
            if owner is None or not owner.status.has_access or member_id == me.id:
                continue
            if mutual(mine, _sharing(member_id, doc)) and doc.get("sealed"):
                view = await self._view(member_id, doc, own=False)
                out.append({"display_name": owner.display_name, **view})
        return sorted(out, key=lambda card: str(card["display_name"]).casefold())

    async def open_direct_room(
        self, account: Account, program_id: str, with_ids: list[str], title: str
    ) -> Room:
        """Rule 5: after unlock, a private room with people who share both ways."""
        program = await self._programs.load(program_id)
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        await self._programs.check_private_room_allowed(me, program)
        check_can_use_cards(me, program)
        docs = {doc["_id"]: doc for doc in await self._cards.for_program(program.id)}
        mine = _sharing(me.id, docs.get(me.id))
        others = sorted(set(with_ids) - {me.id})
        if not others:
            raise InvalidInput("Choose who to talk with.", code="invalid_room_members")
        for other in others:
            if not mutual(mine, _sharing(other, docs.get(other))):
                raise Forbidden(
                    "You can open a private conversation only with people who share "
                    "their contact card with you, and you with them.",
                    code="not_mutual",
                )
        return await self._programs.create_room(
            program.id, RoomKind.DIRECT, title or "Private conversation", [me.id, *others]
        )

    # ------------------------------------------------------------------------
    async def _view(self, member_id: str, doc: Doc | None, *, own: bool) -> dict[str, Any]:
        fields: dict[str, str] = {}
        if doc is not None and doc.get("sealed"):
            opened = await self._keyring.open_one(doc["sealed"], _aad(member_id))
            fields = orjson.loads(opened) if opened else {}
        view: dict[str, Any] = {"member_id": member_id, **{k: fields.get(k) for k in CARD_FIELDS}}
        if own:
            sharing = _sharing(member_id, doc)
            view["sharing"] = {"mode": sharing.mode.value, "chosen": sorted(sharing.chosen)}
        return view

    async def _eligible(self, me: Member, program_id: str, doc: Doc | None) -> set[str]:
        """Who sees ``me``'s card under ``doc``'s sharing (mutual consent)."""
        mine = _sharing(me.id, doc)
        if mine.mode is ShareMode.NOBODY:
            return set()
        docs = {d["_id"]: d for d in await self._cards.for_program(program_id)}
        return {
            other
            for other, other_doc in docs.items()
            if other != me.id and mutual(_sharing(other, other_doc), mine)
        }
