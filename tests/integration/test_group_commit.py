"""Group commit in the event store: batched writes keep every guarantee —
gapless seqs per room, one event per client id, nothing acked unwritten."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from server.crypto.envelope import parse_master_keys
from server.crypto.keyring import KeyRing
from server.domain.errors import Conflict
from server.embedded import EmbeddedMongo
from server.storage.events import MongoEventStore
from server.storage.keys import MongoKeyStore
from server.storage.mongo import Doc, open_database

from .conftest import MASTER_KEY


@pytest.fixture
async def db(mongo: EmbeddedMongo) -> AsyncIterator[AsyncDatabase[Doc]]:
    async with open_database(mongo.url, "gc" + uuid.uuid4().hex[:12]) as database:
        yield database


def store(db: AsyncDatabase[Doc]) -> MongoEventStore:
    return MongoEventStore(db, KeyRing(MongoKeyStore(db), parse_master_keys(MASTER_KEY)))


def message(room: str, author: str = "m1", client_id: str | None = None) -> Doc:
    return {
        "_id": uuid.uuid4().hex,
        "room_id": room,
        "program_id": "p1",
        "type": "message.created",
        "author_id": author,
        "client_id": client_id or str(uuid.uuid4()),
        "created_at": None,
        "body": "hello",
        "state": "visible",
        "reactions": [],
    }


async def seqs(db: AsyncDatabase[Doc], room: str) -> list[int]:
    return [d["seq"] async for d in db["events"].find({"room_id": room}).sort("seq", 1)]


async def test_concurrent_writes_to_many_rooms_are_batched_and_gapless(
    db: AsyncDatabase[Doc],
) -> None:
    events = store(db)
    rooms = [f"r{i}" for i in range(20)]
    results = await asyncio.gather(
        *(events.append(message(room)) for room in rooms for _ in range(10))
    )
    assert all(created for _, created in results)
    for room in rooms:
        assert await seqs(db, room) == list(range(1, 11))
    flushes, written = events.commit_stats
    assert written == 200 and flushes < 100  # batched: far fewer round trips than events


async def test_retries_in_one_batch_store_one_event(db: AsyncDatabase[Doc]) -> None:
    events = store(db)
    client_id = str(uuid.uuid4())
    results = await asyncio.gather(
        *(events.append(message("r", client_id=client_id)) for _ in range(5)),
        *(events.append(message("r")) for _ in range(5)),
    )
    created = [stored for stored, was_new in results[:5] if was_new]
    assert len(created) == 1
    assert {stored["_id"] for stored, _ in results[:5]} == {created[0]["_id"]}
    assert await seqs(db, "r") == list(range(1, 7))


async def test_a_reused_client_id_for_something_else_is_refused(db: AsyncDatabase[Doc]) -> None:
    events = store(db)
    client_id = str(uuid.uuid4())
    await events.append(message("r", client_id=client_id))
    other: dict[str, Any] = {**message("r", client_id=client_id), "type": "reaction.added"}
    other["message_id"] = "x"
    with pytest.raises(Conflict):
        await events.append(other)
    assert await seqs(db, "r") == [1]


async def test_two_writers_racing_for_one_room_stay_gapless(db: AsyncDatabase[Doc]) -> None:
    """Two instances (two stores, each with its own group commit) write one room."""
    first, second = store(db), store(db)
    results = await asyncio.gather(
        *(writer.append(message("hot")) for _ in range(30) for writer in (first, second))
    )
    assert len({stored["seq"] for stored, _ in results}) == 60
    assert await seqs(db, "hot") == list(range(1, 61))


async def test_a_cancelled_sender_still_gets_its_write_and_its_retry_finds_it(
    db: AsyncDatabase[Doc],
) -> None:
    events = store(db)
    doc = message("r")
    task = asyncio.ensure_future(events.append(dict(doc)))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.sleep(0.2)
    stored, created = await events.append({**doc, "_id": uuid.uuid4().hex})
    assert created is False and stored["_id"] == doc["_id"]
    assert await seqs(db, "r") == [1]


async def test_a_seq_heard_from_another_instance_is_not_guessed_again(
    db: AsyncDatabase[Doc],
) -> None:
    """After hearing (through the broker) that the other writer stored seq n, the next
    write numbers n + 1 straight away: one round trip, no failed guess."""
    first, second = store(db), store(db)
    await first.append(message("hot"))
    stored, _ = await second.append(message("hot"))
    first.observe("hot", stored["seq"])
    flushes_before = first.commit_stats[0]
    stored, created = await first.append(message("hot"))
    assert created and stored["seq"] == 3
    assert first.commit_stats[0] == flushes_before + 1
