"""The benchmark's people and rooms, made through the project's own services
(the same calls the HTTP API makes) in a setup step before any timing.

Programs are sized for the largest room of the room-size sweep; each holds
several community rooms of the main workload's size. Every participant is
invited, redeems, is cleared by staff and accepts the agreement (rule 2), so
the sockets later meet every rule a real participant does."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from argon2 import PasswordHasher
from pymongo.asynchronous.database import AsyncDatabase

from server.domain.model import Account, ProgramKind, ProgramStatus, RoomKind
from server.observability import configure_logging
from server.services import identity as identity_module
from server.services.audit import AuditTrail
from server.services.identity import IdentityService
from server.services.programs import ProgramService
from server.services.tokens import TokenService
from server.settings import Settings
from server.storage.audit import MongoAuditLog
from server.storage.directory import MongoDirectory
from server.storage.mongo import Doc, open_database

PASSWORD = "bench-only password, never used to sign in"  # noqa: S105 - throwaway


@dataclass(frozen=True)
class Shape:
    rooms: int  # rooms of the main workload
    members: int  # members per room of the main workload
    sweep_rooms: int  # rooms of the room-size sweep
    sweep_max: int  # its largest room

    @property
    def program_size(self) -> int:
        return max(self.members, self.sweep_max)

    @property
    def rooms_per_program(self) -> int:
        return self.program_size // self.members

    @property
    def programs(self) -> int:
        return max(math.ceil(self.rooms / self.rooms_per_program), self.sweep_rooms)


@dataclass(frozen=True)
class Room:
    room_id: str
    tokens: tuple[str, ...]  # access tokens of its members, in order


@dataclass(frozen=True)
class World:
    rooms: tuple[Room, ...]  # the main workload: rooms × members
    programs: tuple[Room, ...]  # per program: its first room with every participant
    participants: int
    seconds: float

    def tokens(self) -> list[str]:
        return [token for program in self.programs for token in program.tokens]


@contextlib.contextmanager
def cheap_password_hashes() -> Iterator[None]:
    """Argon2 at its default cost takes about 0.3–0.5 s a hash on this 2-core
    machine: 2,000 redemptions would take longer than the whole benchmark.
    Nobody here signs in with a password (sockets use the access tokens that
    redeem returns), so setup hashes at the lowest cost."""
    original = identity_module.hash_password
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

    async def hash_password(password: str) -> str:
        return cheap.hash(password)

    identity_module.hash_password = hash_password
    try:
        yield
    finally:
        identity_module.hash_password = original


class _Builder:
    def __init__(self, settings: Settings, db: AsyncDatabase[Doc], concurrency: int) -> None:
        directory = MongoDirectory(db)
        audit = AuditTrail(MongoAuditLog(db))
        tokens = TokenService(settings.auth, settings.auth.jwt_secret.get_secret_value())
        self.identity = IdentityService(settings, directory, tokens, audit)
        self.programs = ProgramService(settings, directory, self.identity, audit)
        self.gate = asyncio.Semaphore(concurrency)

    async def program(self, lead: Account, index: int, shape: Shape) -> list[Room]:
        async with self.gate:
            program, _ = await self.programs.create(
                lead, f"Bench {index}", ProgramKind.CLOSED, "US", "Lead Bench"
            )
            await self.programs.set_status(lead, program.id, ProgramStatus.ACTIVE)
            room_ids = [
                (
                    await self.programs.open_room(
                        lead, program.id, RoomKind.COMMUNITY, f"Bench room {number}"
                    )
                ).id
                for number in range(shape.rooms_per_program)
            ]
        tokens = await asyncio.gather(
            *(self.participant(lead, program.id, n) for n in range(shape.program_size))
        )
        size = shape.members
        rooms = [
            Room(room_id, tuple(tokens[n * size : (n + 1) * size]))
            for n, room_id in enumerate(room_ids)
        ]
        # Last: the whole program in its first room, for the room-size sweep.
        return [*rooms, Room(room_ids[0], tuple(tokens))]

    async def participant(self, lead: Account, program_id: str, number: int) -> str:
        async with self.gate:
            invite = await self.programs.invite(
                lead, program_id, f"m{uuid.uuid4().hex}@bench.example", f"Bench Person {number}"
            )
            pair = await self.identity.redeem(invite["invite"], f"Member {number}", PASSWORD)
            account = await self.identity.authenticate(pair.access_token)
            member = await self.programs.member_of_account(program_id, account.id)
            await self.programs.clear(lead, program_id, member.id)
            await self.programs.accept(account, program_id, 1)
            return pair.access_token


async def build_world(settings: Settings, shape: Shape, concurrency: int = 16) -> World:
    started = time.monotonic()
    configure_logging(settings.log)  # the setup's audit lines are not news
    with cheap_password_hashes():
        async with open_database(settings.effective_mongo_url, settings.storage.database) as db:
            builder = _Builder(settings, db, concurrency)
            lead = await builder.identity.create_staff(
                f"lead-{uuid.uuid4().hex}@bench.example", "Bench Lead", PASSWORD, is_admin=True
            )
            made = await asyncio.gather(
                *(builder.program(lead, index, shape) for index in range(shape.programs))
            )
    main = [room for rooms in made for room in rooms[:-1]][: shape.rooms]
    whole = [rooms[-1] for rooms in made]
    return World(
        tuple(main),
        tuple(whole),
        sum(len(room.tokens) for room in whole),
        round(time.monotonic() - started, 1),
    )
