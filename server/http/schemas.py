"""Request and response bodies of the HTTP API (they also feed the OpenAPI document)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from pydantic.json_schema import SkipJsonSchema

from ..domain.confidentiality import ShareMode
from ..domain.model import ContactExchange, MemberStatus, ProgramKind, ProgramStatus, Role, RoomKind

Password = Annotated[str, Field(min_length=1, max_length=1024)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Body):
    email: Annotated[str, Field(min_length=3, max_length=320)]
    password: Password


class RefreshRequest(Body):
    refresh_token: Annotated[str, Field(min_length=1, max_length=4096)]


class RedeemRequest(Body):
    invite: Annotated[str, Field(min_length=1, max_length=4096)]
    display_name: Name
    password: Password


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int


class CreateStaffRequest(Body):
    email: EmailStr
    real_name: Name
    password: Password


class CreateProgramRequest(Body):
    name: Name
    kind: ProgramKind = ProgramKind.CLOSED
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "US"
    # The creator becomes the program's first lead under this name.
    display_name: Name


class StatusRequest(Body):
    status: ProgramStatus


class AddStaffRequest(Body):
    email: EmailStr
    role: Role
    display_name: Name


class InviteRequest(Body):
    email: EmailStr
    real_name: Annotated[str, Field(max_length=200)] = ""


class InviteResponse(BaseModel):
    invite_id: str
    invite: str
    expires_at: str


class RemoveMemberRequest(Body):
    status: MemberStatus = MemberStatus.REMOVED


class ProgramOut(BaseModel):
    id: str
    name: str
    kind: ProgramKind
    status: ProgramStatus
    region: str
    agreement_version: int
    contact_exchange: ContactExchange
    retention_days: int


class PublishAgreementRequest(Body):
    text: Annotated[str, Field(min_length=1, max_length=20000)]


class AcceptAgreementRequest(Body):
    version: Annotated[int, Field(ge=1, le=2**31)]


class AdmissionOut(BaseModel):
    cleared: bool
    agreement_version: int
    agreement_accepted: bool
    admitted: bool


class AgreementOut(BaseModel):
    program_id: str
    version: int
    text: str
    published_ms: int | None
    admission: AdmissionOut


class AgreementVersionOut(BaseModel):
    version: int
    text: str
    published_ms: int
    published_by: str | None


class ContactExchangeRequest(Body):
    state: ContactExchange


class RetentionRequest(Body):
    days: Annotated[int, Field(ge=1, le=3650)]


class OpenRoomRequest(Body):
    kind: RoomKind
    title: Annotated[str, Field(max_length=120)] = ""
    # Direct rooms: the other participants (member ids).
    member_ids: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=12)] = []


CardField = Annotated[str | None, Field(max_length=500)]


class CardRequest(Body):
    name: CardField = None
    email: CardField = None
    phone: CardField = None
    handle: CardField = None
    note: CardField = None


class SharingRequest(Body):
    mode: ShareMode
    chosen: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=100)] = []


class SharingOut(BaseModel):
    mode: ShareMode
    chosen: list[str]


class CardOut(BaseModel):
    member_id: str
    display_name: str | None = None
    name: str | None
    email: str | None
    phone: str | None
    handle: str | None
    note: str | None
    # Nullable model fields skip the null branch in the schema: aiohttp-pydantic's
    # OpenAPI converter fails on an ``anyOf`` holding a model reference.
    sharing: SharingOut | SkipJsonSchema[None] = None


class AuditEntryOut(BaseModel):
    id: str
    program_id: str
    at_ms: int
    action: str
    actor_id: str | None
    target_id: str | None
    room_id: str | None
    details: dict[str, object]


class EraseRequest(Body):
    program_id: Annotated[str, Field(max_length=64)] | None = None


class EraseResponse(BaseModel):
    erased: int


class RoomOut(BaseModel):
    room_id: str
    kind: str
    title: str
    participant_id: str | None
    locked: bool
    member_ids: list[str] = []


class MemberOut(BaseModel):
    member_id: str
    display_name: str
    role: Role
    status: str | None = None
    # Staff only (rule 7): never present in what a participant receives.
    real_name: str | None = None
    email: str | None = None
    admission: AdmissionOut | SkipJsonSchema[None] = None
    cleared_ms: int | None = None


class MembershipOut(BaseModel):
    program: ProgramOut
    member: MemberOut
    admission: AdmissionOut
    rooms: list[RoomOut]


class AccountOut(BaseModel):
    id: str
    email: str
    real_name: str
    is_admin: bool
    is_staff: bool


class MeResponse(BaseModel):
    account: AccountOut
    memberships: list[MembershipOut]


class MessageOut(BaseModel):
    message_id: str
    room_id: str
    seq: int
    author_id: str
    client_id: str
    body: str | None
    state: str
    created_at: str
    edited_at: str | None
    reply_to: str | None
    reactions: dict[str, list[str]]
    removed_reason: str | None = None


class HistoryResponse(BaseModel):
    room_id: str
    messages: list[MessageOut]
    has_more: bool
