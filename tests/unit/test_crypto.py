"""Encryption at rest (rule 13): AES-GCM envelopes and master-key parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.crypto.envelope import (
    CryptoError,
    Sealed,
    format_master_key,
    new_key,
    open_sealed,
    parse_master_keys,
    seal,
    unwrap,
    wrap,
    wrapped_by,
)


@given(st.text(max_size=500))
def test_seal_then_open_gives_the_text_back(text: str) -> None:
    key = new_key()
    token = seal("p:1", key, text, "message-1")
    assert len(text) < 8 or text not in token
    assert open_sealed(Sealed.parse(token), key, "message-1") == text


def test_a_sealed_value_is_bound_to_its_record_and_key() -> None:
    key = new_key()
    token = seal("p:1", key, "I felt held", "message-1")
    with pytest.raises(CryptoError):
        open_sealed(Sealed.parse(token), key, "message-2")
    with pytest.raises(CryptoError):
        open_sealed(Sealed.parse(token), new_key(), "message-1")
    sealed = Sealed.parse(token)
    tampered = Sealed(sealed.key_id, sealed.blob[:-1] + bytes([sealed.blob[-1] ^ 1]))
    with pytest.raises(CryptoError):
        open_sealed(tampered, key, "message-1")


def test_same_text_seals_differently_each_time() -> None:
    key = new_key()
    assert seal("k", key, "same", "m") != seal("k", key, "same", "m")


@pytest.mark.parametrize("token", ["", "plain text", "e1..", "w1.k.abc", "e1.k"])
def test_non_sealed_values_are_refused(token: str) -> None:
    with pytest.raises(CryptoError):
        Sealed.parse(token)


def test_wrapping_binds_the_data_key_to_its_id() -> None:
    master, data_key = new_key(), new_key()
    wrapped = wrap("m1", master, data_key, "p:1")
    assert wrapped_by(wrapped) == "m1"
    assert unwrap(master, wrapped, "p:1") == data_key
    with pytest.raises(CryptoError):
        unwrap(master, wrapped, "p:2")
    with pytest.raises(CryptoError):
        unwrap(new_key(), wrapped, "p:1")


def test_master_keys_keep_their_order() -> None:
    first, second = new_key(), new_key()
    spec = f"{format_master_key('new', first)}, {format_master_key('old-1', second)}"
    assert list(parse_master_keys(spec).items()) == [("new", first), ("old-1", second)]
    assert parse_master_keys("") == {}
