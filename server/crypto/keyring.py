"""The key ring: seals and opens values with per-program data keys.

Data keys are made on first use, cached unwrapped in memory, and stored
wrapped by the current master key. Rotation:

- a new *master* key goes first in ``crypto.master_keys`` (old ones stay
  listed) and ``rewrap_all`` re-wraps every data key under it;
- a new *data* key for a program (``rotate``) seals new values from then on;
  old values keep opening with the old key, which stays in the store.

Purging a program deletes its data keys: whatever ciphertext remains in a
backup or an oplog no longer opens ("crypto-shredding").
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable

from ..storage.keys import MongoKeyStore
from .envelope import CryptoError, Sealed, new_key, open_sealed, seal, unwrap, wrap, wrapped_by

# How long an instance keeps sealing with a program's key before looking for
# a newer one (rotation by another process); old keys always keep opening.
_CURRENT_TTL_S = 60.0


class KeyRing:
    def __init__(self, store: MongoKeyStore, master_keys: dict[str, bytes]) -> None:
        if not master_keys:
            raise ValueError("at least one master key is needed")
        self._store = store
        self._masters = master_keys
        self._master_id = next(iter(master_keys))
        self._keys: dict[str, bytes] = {}
        self._current: dict[str, tuple[float, str]] = {}
        self._looking: dict[str, asyncio.Future[None]] = {}  # background refreshes

    async def seal(self, program_id: str, text: str, aad: str) -> str:
        key_id = await self._current_key(program_id)
        return seal(key_id, self._keys[key_id], text, aad)

    async def prepare(self, tokens: Iterable[str | None]) -> None:
        """Load the keys that ``tokens`` need, so ``open`` can run without I/O."""
        for token in tokens:
            if token is None:
                continue
            key_id = _key_id_of(token)
            if key_id is not None and key_id not in self._keys:
                await self._load(key_id)

    def open(self, token: str | None, aad: str) -> str | None:
        """The plain text, or None when there is none or its key was purged."""
        if token is None:
            return None
        sealed = Sealed.parse(token)
        key = self._keys.get(sealed.key_id)
        if key is None:
            return None
        return open_sealed(sealed, key, aad)

    async def open_one(self, token: str | None, aad: str) -> str | None:
        await self.prepare([token])
        return self.open(token, aad)

    async def rotate(self, program_id: str) -> str:
        """Start sealing the program's new values with a fresh data key."""
        latest = await self._store.latest(program_id)
        key_id = await self._create(program_id, 1 + (int(latest["n"]) if latest else 0))
        self._current[program_id] = (time.monotonic(), key_id)
        return key_id

    async def rewrap_all(self) -> int:
        """Re-wrap every data key under the current master key; the count re-wrapped."""
        count = 0
        for doc in await self._store.all():
            if wrapped_by(doc["wrapped"]) == self._master_id:
                continue
            key = self._unwrap(doc)
            await self._store.rewrap(
                doc["_id"], wrap(self._master_id, self._master, key, doc["_id"])
            )
            count += 1
        return count

    async def shred(self, program_id: str) -> int:
        """Delete the program's data keys: its ciphertext no longer opens anywhere."""
        self._current.pop(program_id, None)
        for key_id in [k for k in self._keys if k.rpartition(":")[0] == program_id]:
            del self._keys[key_id]
        return await self._store.delete_program(program_id)

    # ------------------------------------------------------------------------
    @property
    def _master(self) -> bytes:
        return self._masters[self._master_id]

    async def _current_key(self, program_id: str) -> str:
        cached = self._current.get(program_id)
        if cached is not None:
            if time.monotonic() - cached[0] >= _CURRENT_TTL_S and program_id not in self._looking:
                # Keep sealing with the known key (it stays valid: old keys
                # always open) while one look for a newer one runs; every send
                # of the program at once would otherwise wait on that read.
                self._looking[program_id] = asyncio.ensure_future(self._refresh(program_id))
            return cached[1]
        return await self._find_current(program_id)

    async def _refresh(self, program_id: str) -> None:
        try:
            with contextlib.suppress(Exception):  # the store is away: again at the next seal
                await self._find_current(program_id)
        finally:
            self._looking.pop(program_id, None)

    async def _find_current(self, program_id: str) -> str:
        latest = await self._store.latest(program_id)
        if latest is None:
            key_id = await self._create(program_id, 1)
        else:
            key_id = latest["_id"]
            self._keys.setdefault(key_id, self._unwrap(latest))
        self._current[program_id] = (time.monotonic(), key_id)
        return key_id

    async def _create(self, program_id: str, n: int) -> str:
        key_id = f"{program_id}:{n}"
        key = new_key()
        doc = {
            "_id": key_id,
            "program_id": program_id,
            "n": n,
            "wrapped": wrap(self._master_id, self._master, key, key_id),
            "created_ms": int(time.time() * 1000),
        }
        if await self._store.insert(doc):
            self._keys[key_id] = key
            return key_id
        # Another instance made this key first: use theirs.
        await self._load(key_id)
        return key_id

    async def _load(self, key_id: str) -> None:
        doc = await self._store.get(key_id)
        if doc is not None:
            self._keys[key_id] = self._unwrap(doc)

    def _unwrap(self, doc: dict[str, object]) -> bytes:
        wrapped = str(doc["wrapped"])
        master_id = wrapped_by(wrapped)
        master = self._masters.get(master_id)
        if master is None:
            raise CryptoError(
                f"data key {doc['_id']} is wrapped by master key {master_id!r}, "
                "which is not configured (crypto.master_keys)"
            )
        return unwrap(master, wrapped, str(doc["_id"]))


def _key_id_of(token: str) -> str | None:
    try:
        return Sealed.parse(token).key_id
    except CryptoError:
        return None
