"""The WebSocket upgrade: Origin allow-list first, then one ``Connection``.

Authentication is the first frame (see docs/protocol.md), so no token is
ever part of the URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from aiohttp import web

from ..domain.errors import Forbidden
from ..gateway.connection import Connection
from .keys import SERVICES_KEY


def origin_allowed(origin: str | None, host: str, allowed: tuple[str, ...]) -> bool:
    """Browsers always send Origin: it must be this site or listed. Non-browser
    clients send none and authenticate like everyone else."""
    if origin is None:
        return True
    if origin in allowed:
        return True
    return urlsplit(origin).netloc.lower() == host.lower()


async def websocket(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES_KEY]
    settings = services.settings
    if not origin_allowed(
        request.headers.get("Origin"), request.host, settings.http.allowed_origins
    ):
        raise Forbidden("This site may not open a circle connection.", code="origin_not_allowed")
    ws = web.WebSocketResponse(
        heartbeat=settings.limits.heartbeat_s,
        max_msg_size=settings.limits.frame_max_bytes,
        # permessage-deflate costs most of the throughput and 3–6× memory.
        compress=False,
    )
    await ws.prepare(request)
    services.metrics.connections.inc()
    try:
        await Connection(ws, services, request.transport).run()
    finally:
        services.metrics.connections.dec()
    return ws
