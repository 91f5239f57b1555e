"""Own edits and deletes, reactions on visible messages (DESIGN.md section 2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from server.domain.errors import Forbidden, InvalidInput, NotFound
from server.domain.messages import (
    check_can_delete,
    check_can_edit,
    check_can_react,
    is_own_tombstone,
)
from server.domain.model import (
    REACTIONS,
    Member,
    MemberStatus,
    Message,
    MessageState,
    Role,
)

AUTHOR = "m-author"
OTHER = "m-other"


def member(member_id: str, role: Role = Role.PARTICIPANT) -> Member:
    return Member(member_id, "prog-1", f"acct-{member_id}", role, "River", MemberStatus.ACTIVE)


def message(state: MessageState = MessageState.VISIBLE, author_id: str = AUTHOR) -> Message:
    return Message(
        id="msg-1",
        room_id="room-1",
        seq=3,
        author_id=author_id,
        client_id="0b7e1f3c-2a4d-4c1e-9f00-5a6b7c8d9e0f",
        body="hello",
        state=state,
        created_at=datetime(2025, 1, 1, tzinfo=UTC),
    )


CHECKS = [
    pytest.param(check_can_edit, id="edit"),
    pytest.param(check_can_delete, id="delete"),
]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize(
    ("actor", "target", "error", "code"),
    [
        pytest.param(member(AUTHOR), message(), None, None, id="author-visible"),
        pytest.param(member(OTHER), message(), Forbidden, "not_author", id="someone-else"),
        pytest.param(
            member(OTHER, Role.FACILITATOR), message(), Forbidden, "not_author", id="staff"
        ),
        pytest.param(member(OTHER, Role.LEAD), message(), Forbidden, "not_author", id="lead"),
        pytest.param(
            member(AUTHOR),
            message(MessageState.HELD),
            NotFound,
            "message_not_found",
            id="author-held",
        ),
        pytest.param(
            member(AUTHOR),
            message(MessageState.REMOVED),
            NotFound,
            "message_not_found",
            id="author-removed",
        ),
        pytest.param(
            member(AUTHOR),
            message(MessageState.DELETED),
            NotFound,
            "message_not_found",
            id="author-deleted",
        ),
        pytest.param(
            member(OTHER),
            message(MessageState.REMOVED),
            NotFound,
            "message_not_found",
            id="other-removed-hides-authorship",
        ),
        pytest.param(member(AUTHOR), None, NotFound, "message_not_found", id="missing"),
    ],
)
def test_only_authors_change_their_own_visible_messages(
    check: Callable[[Member, Message | None], Message],
    actor: Member,
    target: Message | None,
    error: type[Exception] | None,
    code: str | None,
) -> None:
    """Only the author edits or deletes a message, and only while it is visible."""
    if error is None:
        assert check(actor, target) is target
    else:
        with pytest.raises(error) as info:
            check(actor, target)
        assert getattr(info.value, "code", None) == code


@pytest.mark.parametrize("reaction", sorted(REACTIONS))
def test_known_reactions_on_visible_messages_pass(reaction: str) -> None:
    """Every known reaction, resonate included, may be added to a visible message."""
    target = message()
    assert check_can_react(target, reaction) is target


def test_resonate_is_a_known_reaction() -> None:
    """The 'resonate' reaction (I've felt that too) is available."""
    assert "resonate" in REACTIONS


@pytest.mark.parametrize(
    "reaction", ["", "thumbsup", "Heart", "heart ", "❤️", "<script>", "resonate\x00"]
)
def test_unknown_reactions_are_refused(reaction: str) -> None:
    """A reaction outside the known set is refused with the allowed list."""
    with pytest.raises(InvalidInput) as info:
        check_can_react(message(), reaction)
    assert info.value.code == "unknown_reaction"
    assert info.value.extra["allowed"] == sorted(REACTIONS)


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(message(MessageState.HELD), id="held"),
        pytest.param(message(MessageState.REMOVED), id="removed"),
        pytest.param(message(MessageState.DELETED), id="deleted"),
        pytest.param(None, id="missing"),
    ],
)
def test_reactions_need_a_visible_message(target: Message | None) -> None:
    """Nobody reacts to a held, removed, deleted or missing message."""
    with pytest.raises(NotFound) as info:
        check_can_react(target, "heart")
    assert info.value.code == "message_not_found"


def test_own_tombstone_is_recognised_only_for_its_author() -> None:
    """Only the author's own deleted message counts as an interrupted delete to complete."""
    deleted = message(MessageState.DELETED)
    assert is_own_tombstone(member(AUTHOR), deleted)
    assert not is_own_tombstone(member("someone-else"), deleted)
    assert not is_own_tombstone(member(AUTHOR), message(MessageState.REMOVED))
    assert not is_own_tombstone(member(AUTHOR), message(MessageState.VISIBLE))
