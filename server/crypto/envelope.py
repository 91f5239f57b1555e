"""AES-256-GCM sealing (the ``cryptography`` package), as short text tokens.

A sealed value is ``e1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>``. The
associated data binds it to where it belongs (a message id, a card's
member id), so a ciphertext copied onto another record does not open.
Master keys wrap data keys the same way (``w1.`` with the master key id).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_NONCE_BYTES = 12
_SEALED = "e1"
_WRAPPED = "w1"


class CryptoError(Exception):
    """A key is missing, malformed, or does not open the value."""


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("the value does not open with this key") from exc


@dataclass(frozen=True, slots=True)
class Sealed:
    key_id: str
    blob: bytes

    @classmethod
    def parse(cls, token: str) -> Sealed:
        tag, key_id, data = [*token.split(".", 2), "", ""][:3]
        if tag != _SEALED or not key_id or not data:
            raise CryptoError("not a sealed value")
        return cls(key_id, _unb64(data))

    def __str__(self) -> str:
        return f"{_SEALED}.{self.key_id}.{_b64(self.blob)}"


def seal(key_id: str, key: bytes, text: str, aad: str) -> str:
    return str(Sealed(key_id, _encrypt(key, text.encode(), aad.encode())))


def open_sealed(sealed: Sealed, key: bytes, aad: str) -> str:
    return _decrypt(key, sealed.blob, aad.encode()).decode()


def wrap(master_id: str, master: bytes, data_key: bytes, key_id: str) -> str:
    """A data key encrypted under a master key, bound to its own key id."""
    return f"{_WRAPPED}.{master_id}.{_b64(_encrypt(master, data_key, key_id.encode()))}"


def wrapped_by(wrapped: str) -> str:
    """The id of the master key that wrapped ``wrapped``."""
    tag, master_id, _ = [*wrapped.split(".", 2), "", ""][:3]
    if tag != _WRAPPED or not master_id:
        raise CryptoError("not a wrapped key")
    return master_id


def unwrap(master: bytes, wrapped: str, key_id: str) -> bytes:
    data = wrapped.split(".", 2)[2]
    return _decrypt(master, _unb64(data), key_id.encode())


def parse_master_keys(spec: str) -> dict[str, bytes]:
    """``id:base64key,id:base64key`` → keys in order; the first one wraps new keys."""
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key_id, sep, encoded = item.partition(":")
        if not sep or not key_id.isascii() or not key_id.replace("-", "").isalnum():
            raise ValueError("each master key is written id:base64 (id: letters, digits, -)")
        try:
            key = _unb64(encoded.strip())
        except ValueError:
            raise ValueError(f"master key {key_id!r} is not base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"master key {key_id!r} must be {KEY_BYTES} bytes")
        if key_id in keys:
            raise ValueError(f"master key id {key_id!r} appears twice")
        keys[key_id] = key
    return keys


def format_master_key(key_id: str, key: bytes) -> str:
    return f"{key_id}:{_b64(key)}"
