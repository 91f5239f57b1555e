"""Everything a request or socket needs, built once per app (under a typed AppKey)."""

from __future__ import annotations

from dataclasses import dataclass

from .crypto.keyring import KeyRing
from .gateway.connection import ConnectionRegistry
from .gateway.hub import Hub
from .observability import Metrics
from .ports import Broker
from .services.alerts import AlertService
from .services.attendance import AttendanceService
from .services.audit import AuditTrail
from .services.circle import CircleService
from .services.contacts import ContactService
from .services.identity import IdentityService
from .services.johari import JohariService
from .services.limiter import Limiter
from .services.moderation import ModerationService
from .services.privacy import PrivacyService
from .services.programs import ProgramService
from .services.rooms import RoomService
from .settings import Settings
from .storage.directory import MongoDirectory
from .storage.events import MongoEventStore


@dataclass(eq=False)
class Services:
    settings: Settings
    directory: MongoDirectory
    events: MongoEventStore
    identity: IdentityService
    programs: ProgramService
    contacts: ContactService
    privacy: PrivacyService
    audit: AuditTrail
    alerts: AlertService
    circle: CircleService
    moderation: ModerationService
    attendance: AttendanceService
    johari: JohariService
    keyring: KeyRing
    rooms: RoomService
    limiter: Limiter
    metrics: Metrics
    hub: Hub
    broker: Broker
    registry: ConnectionRegistry
