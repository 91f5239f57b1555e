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


# circle flow and moderation (rules 8–11) --------------------------------------------
Reason = Annotated[str, Field(max_length=500)]
MemberId = RoomId
PhaseName = Literal["preparation", "dosing", "journey", "integration", "closed"]


class SetPhase(Frame):
    type: Literal["phase"]
    room_id: RoomId
    phase: PhaseName
    client_id: ClientId | None = None


class RoomSettings(Frame):
    type: Literal["settings"]
    room_id: RoomId
    locked: bool | None = None
    premoderation: bool | None = None
    slow_mode_s: Annotated[int, Field(ge=0, le=3600)] | None = None
    client_id: ClientId | None = None


class Pin(Frame):
    type: Literal["pin"]
    room_id: RoomId
    message_id: MessageId
    on: bool = True
    client_id: ClientId | None = None


class Remove(Frame):
    type: Literal["remove"]
    room_id: RoomId
    message_id: MessageId
    reason: Reason
    client_id: ClientId


class Mute(Frame):
    type: Literal["mute"]
    room_id: RoomId
    member_id: MemberId
    # 0 lifts the mute.
    seconds: Annotated[int, Field(ge=0, le=7 * 24 * 3600)]
    reason: Reason = ""


class RemoveMember(Frame):
    type: Literal["remove_member"]
    room_id: RoomId
    member_id: MemberId
    reason: Reason = ""
    restore: bool = False


class RoundStart(Frame):
    type: Literal["round_start"]
    room_id: RoomId
    # Speakers in order; empty: the participants present, in join order.
    order: Annotated[list[MemberId], Field(max_length=50)] = []
    client_id: ClientId | None = None


class Turn(Frame):
    type: Literal["turn"]
    room_id: RoomId
    how: Literal["pass", "finish", "advance", "skip"]
    client_id: ClientId | None = None


class RoundEnd(Frame):
    type: Literal["round_end"]
    room_id: RoomId
    client_id: ClientId | None = None


class CheckinOpen(Frame):
    type: Literal["checkin_open"]
    room_id: RoomId
    prompt: Reason = ""
    client_id: ClientId | None = None


class CheckinClose(Frame):
    type: Literal["checkin_close"]
    room_id: RoomId
    client_id: ClientId | None = None


class CheckinAnswer(Frame):
    type: Literal["checkin_answer"]
    room_id: RoomId
    checkin_id: RoomId
    answer: Literal["ok", "need_support"]
    note: Annotated[str, Field(max_length=1000)] = ""


class Support(Frame):
    type: Literal["support"]
    program_id: RoomId
    room_id: RoomId | None = None
    note: Annotated[str, Field(max_length=1000)] = ""


class AlertAck(Frame):
    type: Literal["alert_ack"]
    alert_id: RoomId


class Approve(Frame):
    type: Literal["approve"]
    room_id: RoomId
    pending_id: Annotated[str, Field(max_length=200)]


class Reject(Frame):
    type: Literal["reject"]
    room_id: RoomId
    pending_id: Annotated[str, Field(max_length=200)]
    reason: Reason


class Report(Frame):
    type: Literal["report"]
    room_id: RoomId
    message_id: MessageId
    reason: Reason


Command = (
    Join
    | Leave
    | Send
    | Edit
    | Delete
    | React
    | Typing
    | History
    | Ping
    | SetPhase
    | RoomSettings
    | Pin
    | Remove
    | Mute
    | RemoveMember
    | RoundStart
    | Turn
    | RoundEnd
    | CheckinOpen
    | CheckinClose
    | CheckinAnswer
    | Support
    | AlertAck
    | Approve
    | Reject
    | Report
)
ClientFrame = Annotated[Auth | Command, Field(discriminator="type")]
CLIENT_FRAME: TypeAdapter[Auth | Command] = TypeAdapter(ClientFrame)
FRAME_TYPES = frozenset(
    {
        "auth",
        "join",
        "leave",
        "send",
        "edit",
        "delete",
        "react",
        "typing",
        "history",
        "ping",
        "phase",
        "settings",
        "pin",
        "remove",
        "mute",
        "remove_member",
        "round_start",
        "turn",
        "round_end",
        "checkin_open",
        "checkin_close",
        "checkin_answer",
        "support",
        "alert_ack",
        "approve",
        "reject",
        "report",
    }
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
    # JSON {"program_id", "staff": true | "members": [...], "frame": {...}}:
    # deliver ``frame`` to those people's sockets (alerts, private answers).
    NOTIFY = "notify"
    # A room's moderation state changed (mute, removal): drop cached access.
    ROOM_CHANGED = "room.changed"
    # Local only, never published: the broker link came back, so control
    # messages may have been missed; drop everything cached about access.
    RESYNC = "resync"


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
