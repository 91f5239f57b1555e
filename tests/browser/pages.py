"""Opening the web client in a browser context and signing people in."""

from __future__ import annotations

from typing import Literal

from playwright.async_api import Browser, Page, expect

from tests.integration.client import PASSWORD, Api, World

ColorScheme = Literal["light", "dark"]
_errors: dict[int, list[str]] = {}


async def open_page(
    browser: Browser,
    *,
    width: int = 360,
    height: int = 780,
    color_scheme: ColorScheme = "light",
) -> Page:
    """A fresh context (its own session storage) at phone width by default."""
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=color_scheme,
        reduced_motion="reduce",
        accept_downloads=True,
    )
    page = await context.new_page()
    errors = _errors.setdefault(id(page), [])
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions seen on this page so far."""
    return _errors.get(id(page), [])


async def close(page: Page) -> None:
    _errors.pop(id(page), None)
    await page.context.close()


async def sign_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    await page.goto(url)
    await page.fill("#signin-email", email)
    await page.fill("#signin-password", password)
    await page.click("#signin-submit")
    await expect(page.locator("#circle-list")).to_be_visible()


async def member_emails(api: Api, world: World) -> dict[str, str]:
    """Display name → sign-in email (participants redeem generated addresses)."""
    _, members = await api.call(
        "GET", f"/api/programs/{world.program_id}/members", world.admin.access
    )
    return {m["display_name"]: m["email"] for m in members}


async def open_room(page: Page, room_id: str) -> None:
    await page.click(f"a.room-link[data-room-id='{room_id}']")
    await expect(page.locator("#view-room")).to_have_attribute("data-room-id", room_id)
    await expect(page.locator("#messages")).to_be_attached()
