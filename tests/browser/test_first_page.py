"""The first browser page: sign in, open a circle, chat between two people."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.integration.client import PASSWORD, Api
from tests.integration.conftest import Instance


async def sign_in(page: Page, url: str, email: str) -> None:
    await page.goto(url)
    await page.fill("#signin-email", email)
    await page.fill("#signin-password", PASSWORD)
    await page.click("#signin-submit")
    await expect(page.locator("#circle-list")).to_be_visible()


async def test_two_people_chat_in_the_browser(server: Instance, api: Api, browser: Browser) -> None:
    """Two participants sign in in two browser contexts and see each other's message."""
    world = await api.circle(2)
    robin, sky = world.participants
    for person, email in ((robin, "robin@example-mail.org"), (sky, "sky@example-mail.org")):
        person.email = email
    # Participants redeemed with generated emails; look them up from the staff view.
    _, members = await api.call(
        "GET", f"/api/programs/{world.program_id}/members", world.admin.access
    )
    emails = {m["display_name"]: m["email"] for m in members}
    pages = []
    errors: list[str] = []
    for person in (robin, sky):
        context = await browser.new_context(viewport={"width": 360, "height": 720})
        page = await context.new_page()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        await sign_in(page, server.url, emails[person.name])
        await page.click(f"[data-room-id='{world.rooms['preparation']}']")
        await expect(page.locator("#room-title")).to_contain_text("Preparation")
        pages.append(page)
    robin_page, sky_page = pages
    await robin_page.fill("#composer", "Hello from Robin")
    await robin_page.keyboard.press("Enter")
    await expect(sky_page.locator("#messages")).to_contain_text("Hello from Robin")
    await expect(robin_page.locator("#messages .pending")).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e]
    for page in pages:
        await page.context.close()
