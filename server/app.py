"""build_app(settings): routes, resources opened and closed in cleanup
contexts, and a graceful shutdown that tells clients to reconnect elsewhere."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
import structlog
from aiohttp import web
from aiohttp_remotes import XForwardedRelaxed

from .broker.factory import make_broker, make_presence
from .context import Services
from .crypto.envelope import parse_master_keys
from .crypto.keyring import KeyRing
from .embedded import dev_master_key, dev_secret, embedded_mongo
from .gateway.connection import ConnectionRegistry
from .gateway.hub import Hub
from .gateway.protocol import CloseCode, ControlKind
from .http.api import setup_api
from .http.flow_api import setup_flow_api
from .http.johari import setup_johari
from .http.keys import METRICS_KEY, SERVICES_KEY, SETTINGS_KEY
from .http.problems import json_body_guard, problem_middleware
from .http.site import security_headers, setup_site
from .http.socket import websocket
from .observability import Metrics
from .services.alerts import AlertService
from .services.attendance import AttendanceService
from .services.audit import AuditTrail
from .services.circle import CircleService, RoomStateWriter
from .services.contacts import ContactService
from .services.identity import IdentityService
from .services.johari import JohariService
from .services.limiter import Limiter
from .services.moderation import ModerationService
from .services.notify import Notifier
from .services.privacy import PrivacyService
from .services.programs import ProgramService
from .services.rooms import RoomService
from .services.tokens import TokenService
from .settings import Settings
from .storage.audit import MongoAuditLog
from .storage.cards import MongoCardStore
from .storage.directory import MongoDirectory
from .storage.events import MongoEventStore
from .storage.johari import MongoJohariStore
from .storage.keys import MongoKeyStore
from .storage.mongo import open_database
from .storage.queues import MongoQueue

log = structlog.get_logger(__name__)


DEMO_KEY = web.AppKey("demo", bool)


def build_app(
    settings: Settings, metrics: Metrics | None = None, *, demo: bool = False
) -> web.Application:
    middlewares: list[Any] = [security_headers, problem_middleware, json_body_guard]
    if settings.http.behind_proxy:
        # The real client address (login rate limits) and scheme from the
        # proxy's X-Forwarded-* headers; only enable behind a proxy that sets them.
        middlewares.insert(0, XForwardedRelaxed().middleware)
    app = web.Application(middlewares=middlewares, client_max_size=64 * 1024)
    app[SETTINGS_KEY] = settings
    app[METRICS_KEY] = metrics or Metrics()
    app[DEMO_KEY] = demo
    app.cleanup_ctx.append(_services)
    app.on_shutdown.append(_close_sockets)
    setup_api(app)
    setup_flow_api(app)
    setup_johari(app)
    app.router.add_get("/ws", websocket)
    setup_site(app)
    return app


async def _services(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS_KEY]
    secret = settings.auth.jwt_secret.get_secret_value()
    masters = settings.crypto.master_keys.get_secret_value()
    if settings.embedded:
        async with embedded_mongo(settings.storage.data_dir) as mongo:
            secret = secret or dev_secret(settings.storage.data_dir)
            masters = masters or dev_master_key(settings.storage.data_dir)
            log.info("embedded_storage_started", port=mongo.port)
            async for _ in _with_database(app, mongo.url, secret, masters):
                yield
    else:
        async for _ in _with_database(app, settings.effective_mongo_url, secret, masters):
            yield


async def _with_database(
    app: web.Application, url: str, secret: str, masters: str
) -> AsyncIterator[None]:
    settings = app[SETTINGS_KEY]
    async with open_database(url, settings.storage.database) as db:
        directory = MongoDirectory(db)
        keyring = KeyRing(MongoKeyStore(db), parse_master_keys(masters))
        events = MongoEventStore(db, keyring)
        audit = AuditTrail(MongoAuditLog(db))
        redis_url = settings.effective_redis_url
        prefix = settings.broker.channel_prefix
        cluster = settings.broker.cluster
        broker = make_broker(redis_url, cluster=cluster, keepalive_channel=f"{prefix}:keepalive")
        presence = make_presence(
            redis_url, cluster=cluster, prefix=prefix, ttl_s=settings.broker.presence_ttl_s
        )
        registry = ConnectionRegistry()
        holder: dict[str, RoomService] = {}

        async def on_control(kind: str, subject: str) -> None:
            # What the instance cached about access goes first, so the
            # sockets' re-checks below read the change.
            shared = holder["rooms"].shared
            if kind == ControlKind.MEMBER_REVOKED:
                shared.member_changed(subject)
            elif kind == ControlKind.SIGNED_OUT:
                shared.account_changed(subject)
            elif kind == ControlKind.PROGRAM_CHANGED:
                shared.program_changed(subject)
            elif kind == ControlKind.ROOM_CHANGED:
                shared.room_changed(subject)
            elif kind == ControlKind.RESYNC:
                shared.clear()
            if kind == ControlKind.MEMBER_REVOKED:
                for conn in registry.for_member(subject):
                    await conn.close(CloseCode.ACCESS_REVOKED, "access revoked")
            elif kind == ControlKind.SIGNED_OUT:
                for conn in registry.for_account(subject):
                    await conn.close(CloseCode.AUTH_FAILED, "signed out")
            elif kind == ControlKind.PROGRAM_CHANGED:
                for conn in registry.for_program(subject):
                    await conn.program_changed(subject)
            elif kind == ControlKind.NOTIFY:
                notice = orjson.loads(subject)
                program_id = notice["program_id"]
                targets = set(notice.get("members", ()))
                for conn in registry.for_program(program_id):
                    if (notice.get("staff") and program_id in conn.staff_program_ids) or (
                        targets & conn.member_ids
                    ):
                        conn.send(notice["frame"])
            elif kind == ControlKind.ROOM_CHANGED:
                for conn in registry.all():
                    await conn.room_changed(subject)
            elif kind == ControlKind.CARDS_CHANGED:
                program_id, _, member_ids = subject.partition(":")
                for member_id in filter(None, member_ids.split(",")):
                    for conn in registry.for_member(member_id):
                        conn.send({"type": "cards_changed", "program_id": program_id})

        # The hub needs RoomService.render_range and RoomService needs the
        # hub: late-bound through these two small closures.

        async def load_range(room_id: str, after: int, upto: int | None) -> list[tuple[int, str]]:
            return await holder["rooms"].render_range(room_id, after, upto)

        hub = Hub(
            broker,
            presence=presence,
            presence_ttl_s=settings.broker.presence_ttl_s,
            prefix=prefix,
            load_range=load_range,
            load_head=events.head,
            seen_seq=events.observe,
            on_control=on_control,
        )
        limiter = Limiter(settings.limits, redis_url, prefix)
        identity = IdentityService(settings, directory, TokenService(settings.auth, secret), audit)
        notifier = Notifier(hub)
        alerts = AlertService(directory, MongoQueue(db, "alerts"), keyring, notifier)
        pending = MongoQueue(db, "pending")
        rooms = holder["rooms"] = RoomService(
            settings, directory, events, hub, limiter, audit, alerts, pending, notifier, keyring
        )
        writer = RoomStateWriter(directory, rooms, hub)
        programs = ProgramService(settings, directory, identity, audit)
        cards = MongoCardStore(db)
        johari_store = MongoJohariStore(db)
        johari = JohariService(directory, audit, keyring, johari_store)
        privacy = PrivacyService(directory, events, cards, keyring, rooms, audit, johari)
        circle = CircleService(
            directory,
            rooms,
            writer,
            alerts,
            MongoQueue(db, "checkins"),
            MongoQueue(db, "checkin_answers"),
            keyring,
            notifier,
            audit,
            hub,
            limiter,
            settings.circle.speaker_grace_s,
        )
        moderation = ModerationService(
            directory, events, rooms, writer, pending, MongoQueue(db, "reports"), notifier, audit
        )
        app[SERVICES_KEY] = Services(
            settings=settings,
            directory=directory,
            events=events,
            identity=identity,
            programs=programs,
            contacts=ContactService(directory, cards, keyring, programs, audit),
            privacy=privacy,
            audit=audit,
            alerts=alerts,
            circle=circle,
            moderation=moderation,
            attendance=AttendanceService(directory, MongoQueue(db, "attendance"), rooms),
            johari=johari,
            keyring=keyring,
            rooms=rooms,
            limiter=limiter,
            metrics=app[METRICS_KEY],
            hub=hub,
            broker=broker,
            registry=registry,
        )
        await hub.start()
        if app[DEMO_KEY]:
            await _seed_demo(app)
        log.info(
            "service_ready",
            broker=("cluster" if cluster else "redis") if redis_url else "memory",
            instance=hub.instance_id,
        )
        purging = asyncio.create_task(_purge_periodically(privacy, settings), name="purge")
        try:
            yield
        finally:
            purging.cancel()
            # Writes already queued finish, so their senders were acked truly.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await events.drain()
            await hub.close()


async def _purge_periodically(privacy: PrivacyService, settings: Settings) -> None:
    """The retention job (rule 14): every instance runs it; each step is idempotent."""
    while True:
        try:
            await privacy.purge_due()
        except Exception:
            log.exception("retention_purge_failed")
        await asyncio.sleep(settings.privacy.purge_interval_s)


async def _seed_demo(app: web.Application) -> None:
    from .services.demo import GUIDE, LEAD, PARTICIPANTS, demo_password, seed_demo

    services = app[SERVICES_KEY]
    password = demo_password(services.settings.storage.data_dir)
    created = await seed_demo(services.identity, services.programs, password)
    people = ", ".join([LEAD, GUIDE, *(email for email, _ in PARTICIPANTS)])
    # Printed for the person at the terminal (demo accounts on a local data
    # folder only), never logged.
    print(
        f"Demo program {'created' if created else 'ready'}. Sign in as any of: {people}\n"
        f"  password: {password}  (kept in {services.settings.storage.data_dir}/demo-password)"
    )


async def _close_sockets(app: web.Application) -> None:
    """Graceful shutdown (aiohttp has stopped accepting): let commands in flight
    finish and their acks go out, then close with 1001 so clients reconnect
    elsewhere and resume."""
    services = app.get(SERVICES_KEY)
    if services is None:
        return
    connections = services.registry.all()
    for conn in connections:
        conn.draining = True
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(5):
            await services.events.drain()
            await asyncio.gather(*(c.idle.wait() for c in connections))
    await asyncio.gather(*(c.outbox.flush(2.0) for c in connections), return_exceptions=True)
    await asyncio.gather(
        *(c.close(CloseCode.GOING_AWAY, "server restarting") for c in connections),
        return_exceptions=True,
    )
