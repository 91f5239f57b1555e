"""The MongoDB connection, its indexes, and the driver-error guard.

Only features real MongoDB has are used. Not used on purpose: partial
indexes (nx-27017 ignores their filter), ``$lookup``, transactions (nx-27017
runs every session's transaction on one shared SQLite connection, so one
session's abort could roll back another's write). Every write that must be
atomic is a single-document write guarded by a unique index.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from pymongo import ASCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import (
    AutoReconnect,
    CollectionInvalid,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    NotPrimaryError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)

from ..domain.errors import StorageUnavailable

Doc = dict[str, Any]
P = ParamSpec("P")
R = TypeVar("R")

UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    AutoReconnect,
    ConnectionFailure,
    ExecutionTimeout,
    NetworkTimeout,
    NotPrimaryError,
    ServerSelectionTimeoutError,
    WTimeoutError,
)

INDEXES: dict[str, list[IndexModel]] = {
    "accounts": [IndexModel([("email", ASCENDING)], unique=True, name="email_unique")],
    "programs": [IndexModel([("created_at", ASCENDING)], name="created")],
    "members": [
        IndexModel(
            [("program_id", ASCENDING), ("name_key", ASCENDING)],
            unique=True,
            name="display_name_unique",
        ),
        IndexModel(
            [("program_id", ASCENDING), ("account_id", ASCENDING)],
            unique=True,
            name="one_membership",
        ),
        IndexModel([("account_id", ASCENDING)], name="by_account"),
    ],
    "rooms": [IndexModel([("program_id", ASCENDING)], name="by_program")],
    "invites": [IndexModel([("program_id", ASCENDING)], name="by_program")],
    "refresh_tokens": [IndexModel([("account_id", ASCENDING)], name="by_account")],
    "events": [
        # The gapless per-room order: one event per (room, seq).
        IndexModel(
            [("room_id", ASCENDING), ("seq", ASCENDING)], unique=True, name="room_seq_unique"
        ),
        # Idempotent sends: a retried client id never creates a second event.
        IndexModel(
            [("room_id", ASCENDING), ("author_id", ASCENDING), ("client_id", ASCENDING)],
            unique=True,
            name="client_id_unique",
        ),
        # A member's own messages: export and erase (rule 14).
        IndexModel([("author_id", ASCENDING), ("created_at", ASCENDING)], name="by_author"),
    ],
    "agreements": [
        IndexModel([("program_id", ASCENDING), ("version", ASCENDING)], name="by_program")
    ],
    "audit": [IndexModel([("program_id", ASCENDING), ("at_ms", ASCENDING)], name="by_program")],
    "contact_cards": [IndexModel([("program_id", ASCENDING)], name="by_program")],
    "data_keys": [IndexModel([("program_id", ASCENDING), ("n", ASCENDING)], name="by_program")],
    # Staff queues and circle flow (rules 8–11).
    "pending": [IndexModel([("room_id", ASCENDING), ("status", ASCENDING)], name="by_room_status")],
    "alerts": [
        IndexModel([("program_id", ASCENDING), ("status", ASCENDING)], name="by_program_status")
    ],
    "reports": [
        IndexModel([("program_id", ASCENDING), ("status", ASCENDING)], name="by_program_status")
    ],
    "checkin_answers": [IndexModel([("checkin_id", ASCENDING)], name="by_checkin")],
    # The Johari window exercise (one open exercise per program: a unique
    # ``open_key`` instead of a partial index, which nx-27017 ignores).
    "johari_exercises": [
        IndexModel([("open_key", ASCENDING)], unique=True, name="one_open_per_program"),
        IndexModel([("program_id", ASCENDING), ("started_ms", ASCENDING)], name="by_program"),
    ],
    "johari_picks": [
        IndexModel([("exercise_id", ASCENDING), ("chooser_id", ASCENDING)], name="by_chooser"),
        IndexModel([("exercise_id", ASCENDING), ("target_id", ASCENDING)], name="by_target"),
        IndexModel([("program_id", ASCENDING)], name="by_program"),
        IndexModel([("chooser_id", ASCENDING)], name="by_member"),
    ],
    "johari_shares": [
        IndexModel([("exercise_id", ASCENDING)], name="by_exercise"),
        IndexModel([("program_id", ASCENDING)], name="by_program"),
    ],
    "attendance": [IndexModel([("room_id", ASCENDING), ("created_ms", ASCENDING)], name="by_room")],
}


def guard(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Turn driver connectivity errors into ``StorageUnavailable``."""

    @wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await func(*args, **kwargs)
        except UNAVAILABLE_ERRORS as exc:
            raise StorageUnavailable() from exc

    return wrapper


@asynccontextmanager
async def open_database(url: str, name: str) -> AsyncIterator[AsyncDatabase[Doc]]:
    """Connect, create collections and indexes, and close on exit."""
    client: AsyncMongoClient[Doc] = AsyncMongoClient(
        url,
        # Fail a send within seconds while the database is away, with a clear
        # code, instead of letting the sender hang.
        serverSelectionTimeoutMS=3000,
        connectTimeoutMS=3000,
        socketTimeoutMS=10000,
        w="majority",
        retryWrites=True,
        tz_aware=True,
        appname="integration-circles",
    )
    try:
        db = client[name]
        await ensure_indexes(db)
        yield db
    finally:
        await client.close()


@guard
async def ensure_indexes(db: AsyncDatabase[Doc]) -> None:
    existing = set(await db.list_collection_names())
    for collection, indexes in INDEXES.items():
        if collection not in existing:
            # Another instance starting at the same moment may create it first.
            with contextlib.suppress(CollectionInvalid):
                await db.create_collection(collection)
        await db[collection].create_indexes(indexes)


@guard
async def ping(db: AsyncDatabase[Doc]) -> None:
    await db.command("ping")
