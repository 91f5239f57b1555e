"""The facilitator's moderation tools in the browser, with participants on plain sockets (what
they receive is the proof): pre-moderation (approve, reject with a reason), a report resolved,
pin and unpin, mute and unmute, removal from the room and back, slow mode, and the room lock."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.a11y import DESK, check_axe, screenshot
from tests.browser.pages import close, console_errors, open_page, open_room, sign_in
from tests.integration.client import Api, Socket
from tests.integration.conftest import Instance


def message(page: Page, text: str) -> Locator:
    return page.locator("#messages article.msg", has_text=text)


async def event(sock: Socket, kind: str, **data: Any) -> dict[str, Any]:
    """The next sequenced room event of this kind whose data has these fields."""
    while True:
        frame = await sock.expect("event", event=kind)
        if all(frame["data"].get(k) == v for k, v in data.items()):
            return frame


async def test_moderation_tools(server: Instance, api: Api, browser: Browser) -> None:
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["integration"]
    robin_sock = await Socket.joined(server.ws_url, robin.access, room_id)
    sky_sock = await Socket.joined(server.ws_url, sky.access, room_id)
    guide = await open_page(browser, width=DESK["width"], height=DESK["height"])
    try:
        await sign_in(guide, server.url, world.facilitator.email)
        await open_room(guide, room_id)
        panel = guide.locator("#staff-panel")
        await expect(panel.locator("#staff-present")).to_contain_text("Robin")
        await expect(panel.locator("#staff-present")).to_contain_text("Sky")

        # a message suggesting risk is delivered and raises a safety alert at once
        await robin_sock.say(room_id, "honestly I don't want to be alive anymore")
        safety = guide.locator(".staff-alert[data-kind='safety']")
        await expect(safety).to_contain_text("Robin")
        await expect(guide.locator("#staff-alert-announcer")).to_contain_text("may suggest risk")
        await expect(guide).to_have_title("(1) Integration circle · Integration Circles")
        await safety.locator(".staff-ack").click()
        await expect(safety).to_have_count(0)
        await expect(guide).to_have_title("Integration circle · Integration Circles")

        # pre-moderation: held messages wait in the queue; approve one, reject one
        await panel.get_by_role("button", name="Pre-moderation").click()
        await event(robin_sock, "room.settings", premoderation=True)
        await expect(panel.get_by_role("button", name="Pre-moderation")).to_have_attribute(
            "aria-pressed", "true"
        )
        held = await robin_sock.say(room_id, "I felt the floor breathing")
        assert "pending" in held, held
        queue = panel.locator("#staff-queue-list")
        await expect(queue).to_contain_text("I felt the floor breathing")
        await queue.get_by_role("button", name="Approve Robin's message").click()
        await robin_sock.expect("pending_approved")
        await expect(message(guide, "I felt the floor breathing")).to_have_count(1)
        held = await robin_sock.say(room_id, "Everyone should try this at home")
        await expect(queue).to_contain_text("Everyone should try this at home")
        await queue.get_by_role("button", name="Reject Robin's message").click()
        reason = guide.locator("#dialog textarea")
        await reason.fill("Let's keep to our own experience.")
        await guide.locator("#dialog").get_by_role("button", name="Reject").click()
        rejected = await robin_sock.expect("pending_rejected")
        assert rejected["reason"] == "Let's keep to our own experience."
        await expect(queue).not_to_contain_text("Everyone should try this at home")
        await panel.get_by_role("button", name="Pre-moderation").click()
        await event(robin_sock, "room.settings", premoderation=False)

        # a report reaches the queue and is resolved
        said = await robin_sock.say(room_id, "The music was too loud for me")
        await expect(message(guide, "The music was too loud for me")).to_have_count(1)
        report = await sky_sock.request(
            {
                "type": "report",
                "room_id": room_id,
                "message_id": said["message_id"],
                "reason": "It upset me a little",
            }
        )
        assert report["type"] == "reported", report
        await expect(queue).to_contain_text("It upset me a little")
        await guide.mouse.move(0, 0)
        await panel.locator("#staff-queue").scroll_into_view_if_needed()
        await check_axe(guide, "staff-queue-light")
        await screenshot(guide, "staff-queue-light")
        await queue.get_by_role("button", name="Resolve report about Robin").click()
        await guide.locator("#dialog").get_by_role("button", name="Resolve").click()
        await expect(queue).not_to_contain_text("It upset me a little")

        # pin from the message's menu; unpin from the panel
        await message(guide, "The music was too loud for me").locator(".msg-more").click()
        await guide.locator("#dialog").get_by_role("button", name="Pin for everyone").click()
        await event(sky_sock, "message.pinned", message_id=said["message_id"])
        pinned = panel.locator("#staff-pinned")
        await expect(pinned).to_contain_text("The music was too loud for me")
        await pinned.get_by_role("button", name="Unpin").click()
        await event(sky_sock, "message.unpinned", message_id=said["message_id"])
        await expect(pinned).to_be_hidden()

        # mute for a while, then lift it
        people = panel.locator("#staff-present")
        await people.get_by_role("button", name="Mute Robin").click()
        await guide.locator("#dialog").get_by_role("button", name="5 minutes", exact=True).click()
        muted = await robin_sock.expect("muted")
        assert muted["until_ms"], muted
        refused = await robin_sock.say(room_id, "Can anyone hear me?")
        assert refused["code"] == "muted", refused
        await expect(people).to_contain_text("muted until")
        await people.get_by_role("button", name="Unmute Robin").click()
        lifted = await robin_sock.expect("muted")
        assert lifted["until_ms"] is None, lifted
        assert (await robin_sock.say(room_id, "Thank you for waiting"))["type"] == "ack"

        # ask Sky to step out of the room, then let them back
        await panel.get_by_role("button", name="Remove from room: Sky").click()
        await (
            guide.locator("#dialog")
            .get_by_role("button", name="Remove from room", exact=True)
            .click()
        )
        left = await sky_sock.expect("left")
        assert left["code"] == "removed_from_room", left
        await expect(panel.get_by_role("button", name="Restore Sky to the room")).to_be_visible()
        await panel.get_by_role("button", name="Restore Sky to the room").click()
        await expect(panel.get_by_role("button", name="Remove from room: Sky")).to_be_visible()
        assert (await sky_sock.join(room_id))["type"] == "joined"

        # slow mode and the lock are room settings everyone's screen hears about
        await panel.locator("#staff-slow").select_option("30")
        await event(sky_sock, "room.settings", slow_mode_s=30)
        await panel.get_by_role("button", name="Lock room").click()
        await event(sky_sock, "room.settings", locked=True)
        await expect(panel.locator("#staff-settings-state")).to_contain_text("Locked")
        locked = await sky_sock.say(room_id, "Is the room still open?")
        assert locked["code"] == "room_locked", locked
        # an alert raised while the facilitator's network was down shows once they are back
        await guide.context.set_offline(True)
        await expect(guide.locator("#conn-status")).to_contain_text("offline")
        await api.ok("POST", f"/api/programs/{world.program_id}/support", robin.access, {})
        await guide.context.set_offline(False)
        late = guide.locator(".staff-alert[data-kind='support_request']")
        await expect(late).to_contain_text("Robin")
        await expect(guide.locator("#staff-alert-announcer")).to_contain_text("asked for support")
        await late.locator(".staff-ack").click()
        await expect(late).to_have_count(0)

        await guide.emulate_media(color_scheme="dark")
        await guide.mouse.move(0, 0)
        await check_axe(guide, "staff-settings-dark")
        await screenshot(guide, "staff-settings-dark")
        assert not console_errors(guide), console_errors(guide)
    finally:
        await robin_sock.close()
        await sky_sock.close()
        await close(guide)
