"""Command line: ``python -m server serve`` and ``python -m server create-admin``."""

from __future__ import annotations

import asyncio
import os
import sys

import click

from .settings import Settings, SettingsError, load_settings


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
    from .observability import configure_logging

    settings = _settings()
    if demo and not settings.embedded:
        click.echo("integration-circles: --demo only runs on the embedded default", err=True)
        sys.exit(2)
    configure_logging(settings.log)
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is optional on other platforms
        pass
    web.run_app(
        build_app(settings, demo=demo),
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


async def _create_admin(settings: Settings, email: str, real_name: str, password: str) -> None:
    from .embedded import dev_secret, embedded_mongo
    from .services.identity import IdentityService
    from .services.tokens import TokenService
    from .storage.directory import MongoDirectory
    from .storage.mongo import open_database

    async def create(url: str, secret: str) -> None:
        async with open_database(url, settings.storage.database) as db:
            identity = IdentityService(
                settings, MongoDirectory(db), TokenService(settings.auth, secret)
            )
            await identity.create_staff(email, real_name, password, is_admin=True)

    secret = settings.auth.jwt_secret.get_secret_value()
    if settings.embedded:
        async with embedded_mongo(settings.storage.data_dir) as mongo:
            await create(mongo.url, secret or dev_secret(settings.storage.data_dir))
    else:
        await create(settings.effective_mongo_url, secret)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
