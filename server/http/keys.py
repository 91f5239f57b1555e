"""Typed application keys (aiohttp ``web.AppKey``): app state, no module globals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from ..observability import Metrics
from ..settings import Settings

if TYPE_CHECKING:
    from ..context import Services

SETTINGS_KEY = web.AppKey("settings", Settings)
METRICS_KEY = web.AppKey("metrics", Metrics)
SERVICES_KEY: web.AppKey[Services] = web.AppKey("services")
