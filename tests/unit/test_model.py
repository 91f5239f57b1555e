"""What other members see of a member and a message (DESIGN.md rule 7)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from server.domain.model import Member, MemberStatus, Message, MessageState, Role

ACCOUNT_ID = "acct-7f3a9c"
EMAIL = "river.stone@example.org"
REAL_NAME = "River Stone"
CREATED = datetime(2025, 3, 1, 18, 30, tzinfo=UTC)
EDITED = datetime(2025, 3, 1, 18, 45, tzinfo=UTC)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("status", list(MemberStatus))
def test_member_public_view_is_pseudonymous(role: Role, status: MemberStatus) -> None:
    """A member's public view holds only the opaque member id, display name and role."""
    subject = Member(
        id="m-41",
        program_id="prog-1",
        account_id=ACCOUNT_ID,
        role=role,
        display_name="Willow",
        status=status,
        joined_at=CREATED,
    )
    view = subject.public_view()
    assert view == {"member_id": "m-41", "display_name": "Willow", "role": role.value}
    text = repr(view)
    for secret in (ACCOUNT_ID, EMAIL, REAL_NAME, "prog-1"):
        assert secret not in text


BASE_MESSAGE = Message(
    id="msg-9",
    room_id="room-2",
    seq=12,
    author_id="m-41",
    client_id="0b7e1f3c-2a4d-4c1e-9f00-5a6b7c8d9e0f",
    body="the music carried me",
    state=MessageState.VISIBLE,
    created_at=CREATED,
    edited_at=EDITED,
    reply_to="msg-8",
    reactions={"resonate": ["m-3", "m-1"], "heart": ["m-2"]},
)


def message(state: MessageState, edited_at: datetime | None = EDITED) -> Message:
    return replace(BASE_MESSAGE, state=state, edited_at=edited_at)


def test_visible_message_public_view() -> None:
    """A visible message shows its body, times as ISO text and reactions with sorted members."""
    assert message(MessageState.VISIBLE).public_view() == {
        "message_id": "msg-9",
        "room_id": "room-2",
        "seq": 12,
        "author_id": "m-41",
        "client_id": "0b7e1f3c-2a4d-4c1e-9f00-5a6b7c8d9e0f",
        "body": "the music carried me",
        "state": "visible",
        "created_at": "2025-03-01T18:30:00+00:00",
        "edited_at": "2025-03-01T18:45:00+00:00",
        "reply_to": "msg-8",
        "reactions": {"resonate": ["m-1", "m-3"], "heart": ["m-2"]},
        "removed_reason": None,
    }


def test_removed_message_keeps_the_moderators_reason() -> None:
    """Rule 8: a removed message is a tombstone with its reason; others never show one."""
    removed = replace(BASE_MESSAGE, state=MessageState.REMOVED, removed_reason="not kind")
    assert removed.public_view()["removed_reason"] == "not kind"
    deleted = replace(BASE_MESSAGE, state=MessageState.DELETED, removed_reason="stale")
    assert deleted.public_view()["removed_reason"] is None


@pytest.mark.parametrize("state", [MessageState.HELD, MessageState.REMOVED, MessageState.DELETED])
def test_hidden_message_public_view_is_a_tombstone(state: MessageState) -> None:
    """A held, removed or deleted message shows neither its text nor its reactions."""
    view = message(state).public_view()
    assert view["body"] is None
    assert view["reactions"] == {}
    assert view["state"] == state.value
    assert view["seq"] == 12
    assert "the music carried me" not in repr(view)


def test_unedited_message_has_no_edit_time() -> None:
    """A message never edited reports edited_at as None."""
    assert message(MessageState.VISIBLE, edited_at=None).public_view()["edited_at"] is None
