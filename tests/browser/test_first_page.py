"""The first browser page: sign in, open a circle, chat between two people."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from tests.browser.pages import close, console_errors, member_emails, open_page, open_room, sign_in
from tests.integration.client import Api
from tests.integration.conftest import Instance


async def test_two_people_chat_in_the_browser(server: Instance, api: Api, browser: Browser) -> None:
    """Two participants sign in in two browser contexts and see each other's message."""
    world = await api.circle(2)
    robin, sky = world.participants
    emails = await member_emails(api, world)
    pages = []
    for person in (robin, sky):
        page = await open_page(browser)
        await sign_in(page, server.url, emails[person.name])
        await open_room(page, world.rooms["preparation"])
        await expect(page.locator("#room-title")).to_contain_text("Preparation")
        pages.append(page)
    robin_page, sky_page = pages
    await robin_page.fill("#composer", "Hello from Robin")
    await robin_page.keyboard.press("Enter")
    await expect(sky_page.locator("#messages")).to_contain_text("Hello from Robin")
    await expect(robin_page.locator("#messages .pending")).to_have_count(0)
    for page in pages:
        assert not [e for e in console_errors(page) if "Content Security Policy" in e]
        await close(page)


async def test_modules_are_served_as_javascript_under_a_strict_csp(
    server: Instance, api: Api
) -> None:
    """Every client module is JavaScript to the browser; the page allows only its own scripts."""
    for path in ("/app.js", "/js/socket.js", "/js/views/room.js", "/style.css", "/"):
        async with api.http.get(server.url + path) as resp:
            assert resp.status == 200, path
            kind = resp.headers["Content-Type"]
            assert kind.startswith(
                "text/css"
                if path.endswith(".css")
                else "text/html"
                if path == "/"
                else "text/javascript"
            ), (path, kind)
            csp = resp.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, csp
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
