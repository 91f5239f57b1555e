"""Client → server frames as one pydantic discriminated union.

The wire contract is documented in docs/protocol.md; keep the two in step.
Every request may carry ``ref`` (any short string); the reply or error echoes it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

RoomId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
MessageId = RoomId
# A client-chosen id: a UUID, in any of its usual spellings.
ClientId = Annotated[
    str,
    Field(
        min_length=32,
        max_length=36,
        pattern=r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
    ),
]
Ref = Annotated[str, Field(max_length=64)]
# Sequence numbers fit in a BSON int64 with room to spare (and a JS number).
Seq = Annotated[int, Field(ge=0, le=2**53)]


class Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    ref: Ref | None = None


class Auth(Frame):
    type: Literal["auth"]
    token: Annotated[str, Field(min_length=1, max_length=4096)]


class Join(Frame):
    type: Literal["join"]
    room_id: RoomId
    # The last seq this client saw in the room; omitted on a first visit.
    after: Seq | None = None


class Leave(Frame):
    type: Literal["leave"]
    room_id: RoomId


class Send(Frame):
    type: Literal["send"]
    room_id: RoomId
    client_id: ClientId
    body: Annotated[str, Field(max_length=65536)]
    reply_to: MessageId | None = None


class Edit(Frame):
    type: Literal["edit"]
    room_id: RoomId
    client_id: ClientId
    message_id: MessageId
    body: Annotated[str, Field(max_length=65536)]


class Delete(Frame):
    type: Literal["delete"]
    room_id: RoomId
    client_id: ClientId
    message_id: MessageId


class React(Frame):
    type: Literal["react"]
    room_id: RoomId
    client_id: ClientId
    message_id: MessageId
    reaction: Annotated[str, Field(min_length=1, max_length=32)]
    on: bool = True


class Typing(Frame):
    type: Literal["typing"]
    room_id: RoomId


class History(Frame):
    type: Literal["history"]
    room_id: RoomId
    before: Annotated[Seq, Field(ge=1)] | None = None
    limit: Annotated[int, Field(ge=1, le=1000)] = 50


class Ping(Frame):
    type: Literal["ping"]


Command = Join | Leave | Send | Edit | Delete | React | Typing | History | Ping
ClientFrame = Annotated[Auth | Command, Field(discriminator="type")]
CLIENT_FRAME: TypeAdapter[Auth | Command] = TypeAdapter(ClientFrame)
FRAME_TYPES = frozenset(
    {"auth", "join", "leave", "send", "edit", "delete", "react", "typing", "history", "ping"}
)


class ControlKind:
    """Messages every instance acts on (the hub's control channel)."""

    MEMBER_REVOKED = "member.revoked"  # close that member's sockets (4003)
    SIGNED_OUT = "account.signed_out"  # close that account's sockets (4001)
    # The program's rules changed (agreement version, status, contact
    # exchange): re-check every joined room of it at once.
    PROGRAM_CHANGED = "program.changed"
    # "<program id>:<member id>,<member id>…": whose visible cards changed.
    CARDS_CHANGED = "cards.changed"


class CloseCode:
    """WebSocket close codes the server uses (docs/protocol.md)."""

    NORMAL = 1000
    GOING_AWAY = 1001  # the instance is shutting down: reconnect elsewhere
    INVALID_DATA = 1007  # a text frame that is not valid UTF-8
    POLICY = 1008
    TOO_BIG = 1009  # a frame over the limit
    INTERNAL = 1011
    RESTARTING = 1012
    AUTH_FAILED = 4001  # no, bad, or late auth frame: get a fresh token first
    ACCESS_REVOKED = 4003  # membership removed or withdrawn
    TOO_SLOW = 4008  # the client stopped reading; its outbox overflowed
    PROTOCOL = 4400  # binary frames or repeated garbage
