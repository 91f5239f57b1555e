"""The popular alternative: python-socketio on aiohttp with its Redis manager
(``socketio.AsyncRedisManager``), persisting each message with PyMongo's
async ``insert_one`` to the same nx-27017 store, then emitting it to the room
(the sender included) and acknowledging it. No sign-in, no rules.

Run: ``python -m bench.socketio_server --port 9002 --redis URL --mongo URL``."""

from __future__ import annotations

import argparse
import asyncio
import datetime
from typing import Any

import socketio  # type: ignore[import-untyped]
from aiohttp import web
from pymongo import AsyncMongoClient

from .processes import run_fast


def build_app(redis_url: str, mongo_url: str, database: str) -> web.Application:
    sio = socketio.AsyncServer(
        async_mode="aiohttp", client_manager=socketio.AsyncRedisManager(redis_url)
    )
    mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(mongo_url)
    messages = mongo[database]["messages"]

    async def join(sid: str, room: str) -> str:
        await sio.enter_room(sid, room)
        return "joined"

    async def send(sid: str, data: dict[str, Any]) -> dict[str, Any]:
        await messages.insert_one({**data, "sid": sid, "at": datetime.datetime.now(datetime.UTC)})
        await sio.emit("message", data, room=data["room"])
        return {"client_id": data["client_id"]}

    async def ping(sid: str) -> str:
        return "pong"

    sio.on("join", join)
    sio.on("send", send)
    sio.on("ping", ping)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def close_mongo(app: web.Application) -> None:
        await mongo.close()

    app = web.Application()
    sio.attach(app)
    app.router.add_get("/health", health)
    app.on_cleanup.append(close_mongo)
    return app


async def serve(port: int, redis_url: str, mongo_url: str, database: str) -> None:
    runner = web.AppRunner(build_app(redis_url, mongo_url, database), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, backlog=4096).start()
    try:
        await asyncio.Event().wait()  # until SIGTERM
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--mongo", required=True)
    parser.add_argument("--database", default="bench_socketio")
    args = parser.parse_args()
    run_fast(serve(args.port, args.redis, args.mongo, args.database))


if __name__ == "__main__":
    main()
