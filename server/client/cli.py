"""A command-line client: list circles, tail a room, send a line, or chat.

    python -m server.client circles --email robin@demo.example
    python -m server.client chat "Preparation circle" --email robin@demo.example

The password is asked for (or read from IC_PASSWORD); nothing is stored.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import click

from .sdk import CircleClient, CircleError, Event, Joined

_common = [
    click.option(
        "--url",
        default="http://127.0.0.1:8080",
        show_default=True,
        envvar="IC_URL",
        help="The service's address.",
    ),
    click.option("--email", required=True, envvar="IC_EMAIL"),
    click.option("--password", envvar="IC_PASSWORD", prompt=True, hide_input=True),
]


def common(func: Any) -> Any:
    for option in reversed(_common):
        func = option(func)
    return func


@click.group()
def main() -> None:
    """Talk in Integration Circles from a terminal."""


@main.command()
@common
def circles(url: str, email: str, password: str) -> None:
    """List your programs and the rooms you may open."""
    asyncio.run(_circles(url, email, password))


@main.command()
@common
@click.argument("room")
@click.option("--last", default=20, show_default=True, help="Earlier messages to show first.")
def tail(url: str, email: str, password: str, room: str, last: int) -> None:
    """Print a room's messages as they arrive (ROOM: id or title)."""
    asyncio.run(_chat(url, email, password, room, last, interactive=False))


@main.command()
@common
@click.argument("room")
@click.argument("text")
def send(url: str, email: str, password: str, room: str, text: str) -> None:
    """Send one line to a room."""
    asyncio.run(_send(url, email, password, room, text))


@main.command()
@common
@click.argument("room")
@click.option("--last", default=20, show_default=True)
def chat(url: str, email: str, password: str, room: str, last: int) -> None:
    """Tail a room and send each line you type (Ctrl-D to leave)."""
    asyncio.run(_chat(url, email, password, room, last, interactive=True))


async def _client(url: str, email: str, password: str) -> CircleClient:
    try:
        return await CircleClient.login(url, email, password)
    except CircleError as exc:
        raise click.ClickException(exc.message or exc.code) from None


async def _resolve(client: CircleClient, room: str) -> str:
    for entry in await client.circles():
        for candidate in entry["rooms"]:
            if room in (candidate["room_id"], candidate["title"]):
                return str(candidate["room_id"])
    raise click.ClickException(f"No room called {room!r} — try the 'circles' command.")


async def _circles(url: str, email: str, password: str) -> None:
    client = await _client(url, email, password)
    for entry in await client.circles():
        program, member = entry["program"], entry["member"]
        click.echo(f"{program['name']} ({program['status']}) — you are {member['display_name']}")
        for room in entry["rooms"]:
            click.echo(f"  {room['title']:<28} {room['kind']:<12} {room['room_id']}")


async def _send(url: str, email: str, password: str, room: str, text: str) -> None:
    client = await _client(url, email, password)
    room_id = await _resolve(client, room)
    async with client:
        try:
            ack = await client.send(room_id, text)
        except CircleError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"sent (#{ack.seq})")


async def _chat(
    url: str, email: str, password: str, room: str, last: int, interactive: bool
) -> None:
    client = await _client(url, email, password)
    room_id = await _resolve(client, room)
    names: dict[str, str] = {}
    async with client:
        await client.join(room_id)
        events = client.events()
        head = 0
        async for item in events:  # the join reply names the members
            if isinstance(item, Joined):
                names.update(item.members)
                head = item.head
                break
        page = await client.history(room_id, limit=last)
        for message in page["messages"]:
            if message["seq"] > head:
                continue  # arrives as a live event
            click.echo(_line(names, message["author_id"], message["body"]))
        printer = asyncio.create_task(_print_events(events, names))
        try:
            if interactive:
                await _read_lines(client, room_id)
            else:
                await printer
        finally:
            printer.cancel()


async def _print_events(events: AsyncIterator[Event | Joined], names: dict[str, str]) -> None:
    async for item in events:
        if isinstance(item, Joined):
            names.update(item.members)
        elif isinstance(item, Event) and item.kind == "message.created":
            click.echo(_line(names, item.data["author_id"], item.data["body"]))
        elif isinstance(item, Event) and item.kind == "message.deleted":
            click.echo("  (a message was deleted)")


async def _read_lines(client: CircleClient, room_id: str) -> None:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        if line.strip():
            try:
                await client.send(room_id, line.rstrip("\n"))
            except CircleError as exc:
                click.echo(f"  not sent: {exc.message}", err=True)


def _line(names: dict[str, str], author_id: str, body: str | None) -> str:
    return f"{names.get(author_id, 'Someone')}: {body if body is not None else '(removed)'}"
