"""Command line: ``serve``, ``create-admin``, ``new-master-key``, ``rotate-keys``."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import click

from .settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from pymongo.asynchronous.database import AsyncDatabase

    from .storage.mongo import Doc


# Young collections every 50,000 allocations instead of 700. At thousands of
# sends a second the default promoted every object that lived a few
# milliseconds (a send waiting for its group commit, a queued frame) to the
# oldest generation, whose growth triggers full collections: 80–200 ms pauses
# over 2,000 sockets' objects during steady load (``gc.long_pause`` in the
# log). With 50,000 the benchmark's load steps saw none (docs/benchmarks.md).
_GC_THRESHOLD = (50_000, 20, 10)


def _tune_gc() -> None:
    """Everything imported so far (models, compiled patterns, the detectors'
    lexicons and look-alike tables) lives as long as the process: frozen, the
    cyclic GC's full collections no longer walk it (shorter pauses with
    thousands of open sockets)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLD)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        click.echo(f"integration-circles: {exc}", err=True)
        sys.exit(2)


@click.group()
def main() -> None:
    """Integration Circles — moderated chat circles for group KAP programs."""


@main.command()
@click.option("--host", default=None, help="Override http.host.")
@click.option("--port", type=int, default=None, help="Override http.port.")
@click.option("--demo", is_flag=True, help="Seed a demo program (embedded storage only).")
def serve(host: str | None, port: int | None, demo: bool) -> None:
    """Run the service (embedded storage unless MONGO_URL is set)."""
    from aiohttp import web

    from .app import build_app
    from .observability import Metrics, configure_logging, watch_gc

    settings = _settings()
    if demo and not settings.embedded:
        click.echo("integration-circles: --demo only runs on the embedded default", err=True)
        sys.exit(2)
    configure_logging(settings.log)
    _tune_gc()
    metrics = Metrics()
    watch_gc(metrics)
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is optional on other platforms
        pass
    web.run_app(
        build_app(settings, metrics, demo=demo),
        host=host or settings.http.host,
        port=port if port is not None else settings.http.port,
        access_log=None,
        shutdown_timeout=10,
        print=lambda line: click.echo(line.replace("======== ", "").replace(" ========", "")),
    )


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "real_name", required=True)
@click.option(
    "--password",
    envvar="IC_ADMIN_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted when not given (or IC_ADMIN_PASSWORD).",
)
def create_admin(email: str, real_name: str, password: str) -> None:
    """Bootstrap an admin account (staff, may create programs and staff)."""
    settings = _settings()
    asyncio.run(_create_admin(settings, email, real_name, password))
    click.echo(f"admin {email} created")


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[tuple[AsyncDatabase[Doc], str, str]]:
    """The database (embedded or MONGO_URL), the JWT secret and the master keys."""
    from .embedded import dev_master_key, dev_secret, embedded_mongo
    from .storage.mongo import open_database

    secret = settings.auth.jwt_secret.get_secret_value()
    masters = settings.crypto.master_keys.get_secret_value()
    if settings.embedded:
        data_dir = settings.storage.data_dir
        async with (
            embedded_mongo(data_dir) as mongo,
            open_database(mongo.url, settings.storage.database) as db,
        ):
            yield db, secret or dev_secret(data_dir), masters or dev_master_key(data_dir)
    else:
        async with open_database(settings.effective_mongo_url, settings.storage.database) as db:
            yield db, secret, masters


async def _create_admin(settings: Settings, email: str, real_name: str, password: str) -> None:
    from .services.audit import AuditTrail
    from .services.identity import IdentityService
    from .services.tokens import TokenService
    from .storage.audit import MongoAuditLog
    from .storage.directory import MongoDirectory

    async with _database(settings) as (db, secret, _):
        identity = IdentityService(
            settings,
            MongoDirectory(db),
            TokenService(settings.auth, secret),
            AuditTrail(MongoAuditLog(db)),
        )
        await identity.create_staff(email, real_name, password, is_admin=True)


@main.command("new-master-key")
@click.option("--id", "key_id", default=None, help="Key id (default: mk-<date>).")
def new_master_key(key_id: str | None) -> None:
    """Print a fresh master key (id:base64) for crypto.master_keys."""
    import datetime

    from .crypto.envelope import format_master_key, new_key

    key_id = key_id or "mk-" + datetime.date.today().strftime("%Y%m%d")
    click.echo(format_master_key(key_id, new_key()))


@main.command("rotate-keys")
@click.option("--data-keys", is_flag=True, help="Also give every program a new data key.")
def rotate_keys(data_keys: bool) -> None:
    """Re-wrap every data key under the first master key (run after adding a new
    one in front); with --data-keys, new messages get new data keys too. Old
    messages stay readable: old data keys are kept."""
    settings = _settings()
    rewrapped, rotated = asyncio.run(_rotate_keys(settings, data_keys))
    click.echo(f"re-wrapped {rewrapped} data key(s); new data keys for {rotated} program(s)")


async def _rotate_keys(settings: Settings, data_keys: bool) -> tuple[int, int]:
    from .crypto.envelope import parse_master_keys
    from .crypto.keyring import KeyRing
    from .storage.directory import MongoDirectory
    from .storage.keys import MongoKeyStore

    async with _database(settings) as (db, _, masters):
        keyring = KeyRing(MongoKeyStore(db), parse_master_keys(masters))
        rewrapped = await keyring.rewrap_all()
        programs = await MongoDirectory(db).all_programs() if data_keys else []
        for program in programs:
            await keyring.rotate(program.id)
        return rewrapped, len(programs)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
