"""The browser client, health, metrics and the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_pydantic.oas.view import generate_oas
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .. import __version__
from ..domain.errors import DomainError
from .keys import METRICS_KEY, SERVICES_KEY

CLIENT_DIR = Path(__file__).resolve().parent.parent.parent / "client_web"
CSP = (
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
OPENAPI_PATH = "/api/openapi.json"


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    if not response.prepared:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
    return response


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        CLIENT_DIR / "index.html",
        headers={"Content-Type": CONTENT_TYPES[".html"], "Cache-Control": "no-cache"},
    )


async def live(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def ready(request: web.Request) -> web.Response:
    """Ready when storage answers and the broker link is up."""
    services = request.app[SERVICES_KEY]
    checks: dict[str, str] = {}
    for name, probe in (("storage", services.events.ping), ("broker", services.broker.ping)):
        try:
            await probe()
            checks[name] = "ok"
        except DomainError as exc:
            checks[name] = exc.code
    healthy = all(v == "ok" for v in checks.values())
    return web.json_response(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


async def metrics(request: web.Request) -> web.Response:
    m = request.app[METRICS_KEY]
    services = request.app[SERVICES_KEY]
    m.rooms.set(services.hub.local_room_count())
    return web.Response(
        body=generate_latest(m.registry), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )


async def openapi(request: web.Request) -> web.Response:
    spec = generate_oas(
        [request.app], version_spec=__version__, title_spec="Integration Circles API"
    )
    spec.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    return web.json_response(spec)


def setup_site(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/health/live", live)
    app.router.add_get("/health/ready", ready)
    app.router.add_get("/metrics", metrics)
    app.router.add_get(OPENAPI_PATH, openapi)
    # The client's files, one route each: any other path is the router's 404
    # (405 for a known path and the wrong method), both as problem+json.
    for path in sorted(p for p in CLIENT_DIR.rglob("*") if p.is_file()):
        app.router.add_get("/" + path.relative_to(CLIENT_DIR).as_posix(), _file_handler(path))


# Module scripts must be served as JavaScript (browsers refuse other types under nosniff).
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain; charset=utf-8",
}


def _file_handler(path: Path) -> Handler:
    headers = {"Cache-Control": "no-cache"}
    if path.suffix in CONTENT_TYPES:
        headers["Content-Type"] = CONTENT_TYPES[path.suffix]

    async def serve(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(path, headers=headers)

    return serve
