"""The Johari window exercise (issue 5): load → decide (domain) → store → audit.

Chosen words are sealed under the program's data key like message text
(rule 13), so a database dump shows who chose for whom but not what, and the
retention purge's crypto-shredding covers them too.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..crypto.keyring import KeyRing
from ..domain.access import check_is_staff, check_member_has_access
from ..domain.admission import check_admitted
from ..domain.audit import AuditAction
from ..domain.errors import Conflict, NotFound
from ..domain.johari import (
    ADJECTIVES,
    MAX_PICKS,
    MIN_PICKS,
    Exercise,
    Pick,
    Window,
    active_roster,
    check_can_start,
    check_closed,
    check_open,
    check_takes_part,
    check_target,
    choose_participants,
    clean_adjectives,
    finished_ids,
    window_for,
)
from ..domain.model import Account, Member, Program, ProgramStatus
from ..storage.directory import MongoDirectory
from ..storage.johari import MongoJohariStore
from .audit import AuditTrail
from .clock import new_id, now_ms


def _aad(exercise_id: str, chooser_id: str, target_id: str) -> str:
    # Binds the sealed words to their slot: a document copied elsewhere won't open.
    return f"johari:{exercise_id}:{chooser_id}:{target_id}"


class JohariService:
    def __init__(
        self,
        directory: MongoDirectory,
        audit: AuditTrail,
        keyring: KeyRing,
        store: MongoJohariStore,
    ) -> None:
        self._directory = directory
        self._audit = audit
        self._keyring = keyring
        self._store = store

    # staff ----------------------------------------------------------------------
    async def start(self, account: Account, program_id: str) -> dict[str, Any]:
        """Staff start an exercise with the participants admitted right now."""
        program, me = await self._member(account, program_id)
        check_is_staff(me)
        participants = choose_participants(
            await self._directory.program_members(program_id), program
        )
        check_can_start(program, participants)
        exercise = await self._store.create_exercise(
            new_id(), program_id, list(participants), me.id, now_ms()
        )
        if exercise is None:
            raise Conflict(
                "An exercise is already open in this program — close it before starting another.",
                code="exercise_open",
            )
        await self._record(
            exercise, AuditAction.JOHARI_STARTED, me.id, participants=len(participants)
        )
        return await self._view(exercise, me)

    async def close(self, account: Account, program_id: str, exercise_id: str) -> dict[str, Any]:
        _, me = await self._member(account, program_id)
        check_is_staff(me)
        exercise = await self._exercise(program_id, exercise_id)
        check_open(exercise)
        closed = await self._store.close_exercise(exercise.id, me.id, now_ms())
        if closed is None:
            raise Conflict(
                "This exercise is closed, so choices can't change any more.",
                code="exercise_closed",
            )
        await self._record(closed, AuditAction.JOHARI_CLOSED, me.id)
        return await self._view(closed, me)

    # everyone -------------------------------------------------------------------
    async def current(self, account: Account, program_id: str) -> dict[str, Any]:
        """The open or most recent exercise, as the caller may see it."""
        _, me = await self._member(account, program_id)
        exercise = await self._store.latest_exercise(program_id)
        if exercise is None:
            return {**_word_list(), "exercise": None}
        return await self._view(exercise, me)

    async def shared_windows(
        self, account: Account, program_id: str, exercise_id: str
    ) -> list[dict[str, Any]]:
        """The windows their owners shared with the program (any member)."""
        await self._member(account, program_id)
        exercise = await self._exercise(program_id, exercise_id)
        check_closed(exercise)
        members = await self._directory.program_members(program_id)
        names = {member.id: member.display_name for member in members}
        roster = active_roster(exercise, members)
        shared = await self._store.shared_ids(exercise.id)
        windows: list[dict[str, Any]] = []
        for owner in roster:
            if owner in shared:
                window = await self._window(exercise, owner, roster)
                windows.append(
                    {
                        **window.to_dict(),
                        "exercise_id": exercise.id,
                        "display_name": names[owner],
                        "shared": True,
                    }
                )
        return windows

    # participants ---------------------------------------------------------------
    async def put_picks(
        self,
        account: Account,
        program_id: str,
        exercise_id: str,
        target_id: str,
        adjectives: list[str],
    ) -> dict[str, Any]:
        """A participant chooses words for themself or a peer (replacing earlier ones)."""
        program, me, exercise = await self._taking_part(account, program_id, exercise_id)
        check_open(exercise)
        if program.status is not ProgramStatus.ACTIVE:
            raise Conflict(
                "An exercise can run only while the program is active.",
                code="program_not_active",
            )
        words = clean_adjectives(adjectives)
        target = me if target_id == me.id else await self._directory.get_member(target_id)
        check_target(exercise, target)
        sealed = await self._keyring.seal(
            program_id, orjson.dumps(list(words)).decode(), _aad(exercise.id, me.id, target_id)
        )
        await self._store.put_picks(exercise, me.id, target_id, sealed, now_ms())
        await self._record(
            exercise, AuditAction.JOHARI_PICKS_SAVED, me.id, target_id=target_id, count=len(words)
        )
        return {"exercise_id": exercise.id, "target_id": target_id, "adjectives": list(words)}

    async def own_window(
        self, account: Account, program_id: str, exercise_id: str
    ) -> dict[str, Any]:
        _, me, exercise = await self._taking_part(account, program_id, exercise_id)
        return await self._own_window(exercise, me)

    async def share(
        self, account: Account, program_id: str, exercise_id: str, shared: bool
    ) -> dict[str, Any]:
        """The owner shares their window with everyone in the program, or stops."""
        _, me, exercise = await self._taking_part(account, program_id, exercise_id)
        check_closed(exercise)
        if shared:
            changed = await self._store.share(exercise, me.id, now_ms())
        else:
            changed = await self._store.unshare(exercise.id, me.id)
        if changed:
            action = AuditAction.JOHARI_SHARED if shared else AuditAction.JOHARI_UNSHARED
            await self._record(exercise, action, me.id, target_id=me.id)
        return await self._own_window(exercise, me)

    # helpers --------------------------------------------------------------------
    async def export_for(self, member: Member) -> list[dict[str, Any]]:
        """A member's own choices, readable (their data export, rule 14)."""
        docs = await self._store.member_picks(member.id)
        await self._keyring.prepare(doc.get("sealed") for doc in docs)
        out: list[dict[str, Any]] = []
        for doc in docs:
            aad = _aad(doc["exercise_id"], doc["chooser_id"], doc["target_id"])
            text = self._keyring.open(doc.get("sealed"), aad)
            out.append(
                {
                    "exercise_id": doc["exercise_id"],
                    "target_id": doc["target_id"],
                    "adjectives": orjson.loads(text) if text else [],
                }
            )
        return out

    async def purge_program(self, program_id: str) -> int:
        """Retention: the program's exercises, choices and shares go."""
        return await self._store.delete_program(program_id)

    async def _member(self, account: Account, program_id: str) -> tuple[Program, Member]:
        """The program and the caller's membership; participants must be admitted (rule 2)."""
        program = await self._directory.get_program(program_id)
        if program is None:
            raise NotFound("We couldn't find that program.", code="program_not_found")
        me = check_member_has_access(await self._directory.member_for(program_id, account.id))
        check_admitted(me, program)
        return program, me

    async def _exercise(self, program_id: str, exercise_id: str) -> Exercise:
        exercise = await self._store.get_exercise(exercise_id)
        if exercise is None or exercise.program_id != program_id:
            raise NotFound("We couldn't find that exercise.", code="exercise_not_found")
        return exercise

    async def _taking_part(
        self, account: Account, program_id: str, exercise_id: str
    ) -> tuple[Program, Member, Exercise]:
        program, me = await self._member(account, program_id)
        exercise = await self._exercise(program_id, exercise_id)
        check_takes_part(me, exercise)
        return program, me, exercise

    async def _own_window(self, exercise: Exercise, me: Member) -> dict[str, Any]:
        check_closed(exercise)
        roster = active_roster(exercise, await self._directory.program_members(me.program_id))
        window = await self._window(exercise, me.id, roster)
        shared = me.id in await self._store.shared_ids(exercise.id)
        return {**window.to_dict(), "exercise_id": exercise.id, "shared": shared}

    async def _window(self, exercise: Exercise, owner_id: str, roster: tuple[str, ...]) -> Window:
        docs = await self._store.picks_for(exercise.id, owner_id)
        picks = await self._open_picks(exercise, docs)
        return window_for(owner_id, picks, roster)

    async def _open_picks(self, exercise: Exercise, docs: list[dict[str, Any]]) -> list[Pick]:
        await self._keyring.prepare(doc.get("sealed") for doc in docs)
        picks: list[Pick] = []
        for doc in docs:
            chooser, target = doc["chooser_id"], doc["target_id"]
            text = self._keyring.open(doc.get("sealed"), _aad(exercise.id, chooser, target))
            if text is not None:
                picks.append(Pick(chooser, target, frozenset(orjson.loads(text))))
        return picks

    async def _view(self, exercise: Exercise, me: Member) -> dict[str, Any]:
        """The exercise for ``me``: staff see progress, a participant their own words."""
        members = await self._directory.program_members(exercise.program_id)
        names = {member.id: member.display_name for member in members}
        roster = active_roster(exercise, members)
        shared = await self._store.shared_ids(exercise.id)
        view: dict[str, Any] = {
            **_word_list(),
            "exercise": {
                "exercise_id": exercise.id,
                "program_id": exercise.program_id,
                "status": exercise.status.value,
                "started_ms": exercise.started_ms,
                "closed_ms": exercise.closed_ms,
                "participants": [
                    {"member_id": member_id, "display_name": names[member_id]}
                    for member_id in roster
                ],
                "shared": [member_id for member_id in roster if member_id in shared],
            },
        }
        if me.is_staff:
            finished = finished_ids(roster, await self._store.chosen_pairs(exercise.id))
            view["progress"] = {
                "finished": [member_id for member_id in roster if member_id in finished],
                "waiting": [member_id for member_id in roster if member_id not in finished],
            }
        elif me.id in exercise.participant_ids:
            mine = await self._open_picks(exercise, await self._store.picks_by(exercise.id, me.id))
            view["my_picks"] = {
                pick.target_id: [word for word in ADJECTIVES if word in pick.adjectives]
                for pick in mine
                if pick.target_id in roster
            }
            view["finished"] = me.id in finished_ids(
                roster, ((pick.chooser_id, pick.target_id) for pick in mine)
            )
        return view

    async def _record(
        self,
        exercise: Exercise,
        action: AuditAction,
        actor_id: str,
        *,
        target_id: str | None = None,
        **details: Any,
    ) -> None:
        """Audit without words: ids and counts only (domain/audit.py)."""
        await self._audit.record(
            exercise.program_id,
            action,
            actor_id,
            target_id=target_id,
            exercise_id=exercise.id,
            **details,
        )


def _word_list() -> dict[str, Any]:
    return {"adjectives": list(ADJECTIVES), "min_picks": MIN_PICKS, "max_picks": MAX_PICKS}
