"""The instance's access cache over the MongoDB-wire server: expired memberships are
re-read a program at a time, and only unchanged ones are kept without a new check."""

from __future__ import annotations

import asyncio
from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from server.domain.model import Member, MemberStatus
from server.services.rooms import SharedAccess
from server.storage.directory import Doc, MongoDirectory

from .client import Api
from .conftest import Instance

TTL_S = 0.3


class CountingDirectory(MongoDirectory):
    """The real directory on the test's store, counting the membership reads it serves."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        super().__init__(db)
        self.reads: Counter[str] = Counter()

    async def program_members(self, program_id: str) -> list[Member]:
        self.reads["program_members"] += 1
        return await super().program_members(program_id)

    async def member_for(self, program_id: str, account_id: str) -> Member | None:
        self.reads["member_for"] += 1
        return await super().member_for(program_id, account_id)

    async def get_member(self, member_id: str) -> Member | None:
        self.reads["get_member"] += 1
        return await super().get_member(member_id)


async def admitted_cache(
    server: Instance, api: Api, people: int
) -> tuple[SharedAccess, CountingDirectory, list[Member]]:
    world = await api.circle(people)
    directory = CountingDirectory(server.services.directory._programs.database)
    shared = SharedAccess(directory, ttl_s=TTL_S)
    members = []
    for person in world.participants:
        found = await directory.get_member(person.member_id)
        assert found is not None
        member = await shared.member_for(found.program_id, found.account_id)
        assert member == found
        shared.admitted(member, member.account_id, shared.generation)
        members.append(member)
    directory.reads.clear()
    return shared, directory, members


async def test_expired_memberships_are_reread_once_per_program(server: Instance, api: Api) -> None:
    shared, directory, members = await admitted_cache(server, api, 4)
    for member in members:  # fresh: nothing is read
        assert await shared.member_for(member.program_id, member.account_id) == member
    assert directory.reads == Counter()
    await asyncio.sleep(TTL_S * 1.5)
    again = await asyncio.gather(*(shared.member_for(m.program_id, m.account_id) for m in members))
    assert list(again) == members
    assert directory.reads == Counter(program_members=1)
    for member in members:  # refreshed together: fresh again
        assert await shared.member_for(member.program_id, member.account_id) == member
    assert directory.reads == Counter(program_members=1)


async def test_a_membership_changed_without_a_control_message_is_read_afresh(
    server: Instance, api: Api
) -> None:
    shared, directory, members = await admitted_cache(server, api, 3)
    changed, kept = members[0], members[1]
    updated = await directory.set_member_status(changed.id, MemberStatus.REMOVED)
    assert updated is not None and updated.status is MemberStatus.REMOVED
    await asyncio.sleep(TTL_S * 1.5)
    seen = await shared.member_for(kept.program_id, kept.account_id)
    assert seen == kept
    # The changed entry was dropped by the program's re-read, not renewed: the next
    # access reads the membership as it is now, for the caller to check again.
    now = await shared.member_for(changed.program_id, changed.account_id)
    assert now is not None and now.status is MemberStatus.REMOVED
    assert directory.reads == Counter(program_members=1, member_for=1)


async def test_a_reread_that_crosses_an_invalidation_keeps_nothing(
    server: Instance, api: Api
) -> None:
    shared, directory, members = await admitted_cache(server, api, 2)
    await asyncio.sleep(TTL_S * 1.5)
    first, other = members
    reading = asyncio.ensure_future(shared.member_for(first.program_id, first.account_id))
    await asyncio.sleep(0)  # the program's re-read has started
    shared.room_changed("some-room")  # any change: the read may hold what it replaced
    assert await reading == first  # read from the store on its own after all
    assert directory.reads == Counter(program_members=1, member_for=1)
    # Nothing was renewed from the crossed read: the other entry is still expired.
    assert await shared.member_for(other.program_id, other.account_id) == other
    assert directory.reads == Counter(program_members=2, member_for=1)
