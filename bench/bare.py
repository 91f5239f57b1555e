"""The ceiling: a bare broadcast server (aiohttp + orjson, on uvloop). No
persistence, no rules, no sign-in check: a send is encoded once, written to
every socket in the room (the sender's too), then acknowledged.

Run: ``python -m bench.bare --port 9001``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

import orjson
from aiohttp import WSMsgType, web

from .processes import run_fast

ROOMS = web.AppKey("rooms", dict[str, set[web.WebSocketResponse]])


async def socket(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse(autoping=True, compress=False, max_msg_size=65536)
    await ws.prepare(request)
    rooms = request.app[ROOMS]
    joined: set[str] = set()
    try:
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                break
            frame = orjson.loads(msg.data)
            kind = frame.get("type")
            if kind == "send":
                room = frame["room"]
                event = orjson.dumps(
                    {
                        "type": "event",
                        "room": room,
                        "client_id": frame["client_id"],
                        "body": frame["body"],
                    }
                ).decode()
                for peer in list(rooms.get(room, ())):
                    if not peer.closed:
                        with contextlib.suppress(ConnectionError):  # a peer that just left
                            await peer.send_str(event)
                await ws.send_str(
                    orjson.dumps({"type": "ack", "client_id": frame["client_id"]}).decode()
                )
            elif kind == "join":
                room = frame["room"]
                rooms.setdefault(room, set()).add(ws)
                joined.add(room)
                await ws.send_str(orjson.dumps({"type": "joined", "room": room}).decode())
            elif kind == "auth":
                await ws.send_str('{"type":"ready"}')
            elif kind == "ping":
                await ws.send_str('{"type":"pong"}')
    finally:
        for room in joined:
            members = rooms.get(room)
            if members is not None:
                members.discard(ws)
                if not members:
                    del rooms[room]
    return ws


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_app() -> web.Application:
    app = web.Application()
    app[ROOMS] = {}
    app.router.add_get("/ws", socket)
    app.router.add_get("/health", health)
    return app


async def serve(port: int) -> None:
    runner = web.AppRunner(build_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=4096).start()
    try:
        await asyncio.Event().wait()  # until SIGTERM
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    run_fast(serve(parser.parse_args().port))


if __name__ == "__main__":
    main()
