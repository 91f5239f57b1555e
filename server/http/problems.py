"""One error middleware: every failure leaves as application/problem+json (RFC 9457)."""

from __future__ import annotations

from typing import Any

import orjson
import structlog
from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import ValidationError
from rfc9457 import Problem

from ..domain.errors import DomainError, InvalidInput
from ..domain.limits import check_json_depth
from .keys import METRICS_KEY, SETTINGS_KEY

log = structlog.get_logger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem_response(status: int, code: str, title: str, detail: str, **extra: Any) -> web.Response:
    problem = Problem(
        title=title, type_=f"/docs/errors#{code}", detail=detail, status=status, code=code, **extra
    )
    headers = {}
    if "retry_after_s" in extra:
        headers["Retry-After"] = str(max(1, round(float(extra["retry_after_s"]))))
    return web.Response(
        status=status,
        body=orjson.dumps(problem.marshal()),
        content_type=PROBLEM_JSON,
        headers=headers,
    )


def from_domain(exc: DomainError) -> web.Response:
    extra = {k: v for k, v in exc.extra.items() if k not in {"type", "title", "status"}}
    return problem_response(
        exc.status, exc.code, exc.code.replace("_", " ").capitalize(), exc.message, **extra
    )


async def on_validation_error(exc: ValidationError, context: str) -> web.Response:
    """aiohttp-pydantic's hook: field errors as problem+json too."""
    errors = [
        {"in": context, "path": ".".join(str(p) for p in err["loc"]), "problem": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]
    first = errors[0]
    return problem_response(
        400,
        "invalid_input",
        "Invalid input",
        f"Field {first['path'] or context!r}: {first['problem'].rstrip('.')}.",
        errors=errors[:10],
    )


@web.middleware
async def json_body_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Refuse API bodies that are not UTF-8 JSON of sane depth before any view
    parses them (aiohttp would raise UnicodeDecodeError or RecursionError)."""
    if request.path.startswith("/api/") and request.body_exists:
        charset = (request.charset or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise InvalidInput("Please send JSON encoded as UTF-8.", code="unsupported_charset")
        raw = await request.read()
        try:
            document = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if "depth limit" in str(exc):
                raise InvalidInput(
                    "The request body is nested too deeply.", code="too_deep"
                ) from None
            raise InvalidInput("The request body isn't valid JSON.", code="bad_json") from None
        check_json_depth(document, request.app[SETTINGS_KEY].limits.json_max_depth)
        if not isinstance(document, dict):
            raise InvalidInput("The request body must be a JSON object.", code="invalid_input")
    return await handler(request)


@web.middleware
async def problem_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DomainError as exc:
        request.app[METRICS_KEY].http_errors.labels(code=exc.code).inc()
        return from_domain(exc)
    except web.HTTPException as exc:
        if exc.status < 400 or exc.status == 101:
            raise
        code = {
            400: "bad_request",
            404: "not_found",
            405: "method_not_allowed",
            413: "too_large",
        }.get(exc.status, "http_error")
        detail = {
            404: "There's nothing at this address.",
            405: "This address doesn't accept that method.",
        }.get(exc.status, exc.reason)
        if exc.status == 400 and exc.text and "Malformed JSON" in exc.text:
            code, detail = "bad_json", "The request body isn't valid JSON."
        request.app[METRICS_KEY].http_errors.labels(code=code).inc()
        return problem_response(exc.status, code, exc.reason, detail)
    except Exception:
        log.exception("http_unhandled", path=request.path)
        return problem_response(
            500, "internal", "Internal error", "Something went wrong on our side. Nothing was lost."
        )
