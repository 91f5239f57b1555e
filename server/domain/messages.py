"""Rules for changing messages: own edits and deletes, reactions (DESIGN.md section 2)."""

from __future__ import annotations

from .errors import Forbidden, InvalidInput, NotFound
from .model import REACTIONS, Member, Message, MessageState


def check_can_edit(member: Member, message: Message | None) -> Message:
    """Only the author edits, and only a visible message."""
    found = _check_visible(message)
    if found.author_id != member.id:
        raise Forbidden("You can only edit your own messages.", code="not_author")
    return found


def check_can_delete(member: Member, message: Message | None) -> Message:
    """Authors delete their own messages; staff removal is moderation (rule 8)."""
    found = _check_visible(message)
    if found.author_id != member.id:
        raise Forbidden("You can only delete your own messages.", code="not_author")
    return found


def is_own_tombstone(member: Member, message: Message) -> bool:
    """The author's own deleted message: a delete interrupted before its event
    was written, which the author's retry may complete."""
    return message.state is MessageState.DELETED and message.author_id == member.id


def check_can_react(message: Message | None, reaction: str) -> Message:
    if reaction not in REACTIONS:
        raise InvalidInput(
            "That reaction isn't available.", code="unknown_reaction", allowed=sorted(REACTIONS)
        )
    return _check_visible(message)


def _check_visible(message: Message | None) -> Message:
    if message is None or message.state is not MessageState.VISIBLE:
        raise NotFound("That message isn't available any more.", code="message_not_found")
    return message
