"""A whole circle session in two browsers: a participant on a phone and a facilitator at a
desk, with a second participant on a plain socket so the circle has more than one voice.

Join · preparation sharing · journey (quiet) with a check-in and a support request (the
facilitator's alert list) · an integration round with the talking piece (only the speaker can
post; the participant sees who holds it) · a removed message disappearing on the other screen ·
a contact detail held back with its explanation · the network dropping and coming back with
nothing lost and nothing doubled. The facilitator's screens are checked with axe and saved as
screenshots (light, dark, phone width)."""

from __future__ import annotations

from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.a11y import DESK, PHONE, check_axe, desk_screens, screenshot
from tests.browser.pages import close, console_errors, member_emails, open_page, open_room, sign_in
from tests.integration.client import Api, Socket
from tests.integration.conftest import Instance


async def staff_screens(page: Page, name: str) -> None:
    """axe and screenshots of the facilitator's screen: light, dark, and phone width."""
    await desk_screens(page, name)
    await screenshot(page, f"{name}-phone-dark")
    drawer = page.locator("#staff-drawer-toggle")
    await drawer.click()  # on phones the panel is a drawer
    await expect(drawer).to_have_attribute("aria-expanded", "true")
    await check_axe(page, f"{name}-phone-dark")
    await screenshot(page, f"{name}-drawer-phone-dark")
    await page.emulate_media(color_scheme="light")
    await check_axe(page, f"{name}-phone-light")
    await screenshot(page, f"{name}-drawer-phone-light")
    await drawer.click()
    await expect(page.locator("#staff-panel-body")).to_be_hidden()
    await screenshot(page, f"{name}-phone-light")
    await page.set_viewport_size(DESK)


def message(page: Page, text: str) -> Locator:
    return page.locator("#messages article.msg", has_text=text)


async def test_a_whole_session(server: Instance, api: Api, browser: Browser) -> None:
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["preparation"]
    emails = await member_emails(api, world)

    guide = await open_page(browser, width=DESK["width"], height=DESK["height"])
    await sign_in(guide, server.url, world.facilitator.email)
    await open_room(guide, room_id)
    panel = guide.locator("#staff-panel")
    await expect(panel.locator("#staff-phase")).to_be_visible()

    phone = await open_page(browser, width=PHONE["width"], height=PHONE["height"])
    await sign_in(phone, server.url, emails[robin.name])
    await open_room(phone, room_id)

    # join: the facilitator sees who is here and who has not come
    await expect(panel.locator("#staff-present")).to_contain_text("Robin")
    await expect(panel.locator("#staff-not-come")).to_contain_text("Sky")

    # preparation sharing
    await expect(phone.locator("#phase-banner")).to_have_attribute("data-phase", "preparation")
    await phone.fill("#composer", "My intention is to be gentle with myself")
    await phone.keyboard.press("Enter")
    await expect(message(guide, "My intention is to be gentle with myself")).to_have_count(1)

    # journey: the room rests; a check-in and a support request reach the facilitator
    await panel.locator("#staff-phase-journey").click()
    await expect(phone.locator("#phase-banner")).to_have_attribute("data-phase", "journey")
    await expect(phone.locator("#quiet-screen")).to_be_visible()
    await panel.locator("#staff-checkin-prompt").fill("How is the journey for you?")
    await panel.get_by_role("button", name="Ask everyone").click()
    await expect(phone.locator("#checkin-card")).to_contain_text("How is the journey for you?")
    await phone.fill("#checkin-note", "A bit dizzy")
    await phone.click("#checkin-need")
    answers = panel.locator("#staff-checkin-answers")
    await expect(answers).to_contain_text("Robin")
    await expect(answers).to_contain_text("Needs support")
    await expect(answers).to_contain_text("A bit dizzy")
    await expect(panel.locator("#staff-checkin-waiting")).to_contain_text("Sky")
    need = guide.locator(".staff-alert[data-kind='need_support']")
    await expect(need).to_contain_text("Robin")

    await phone.click("#support-button")
    await expect(phone.locator("#dialog")).to_contain_text("care team has been told")
    await phone.keyboard.press("Escape")
    support = guide.locator(".staff-alert[data-kind='support_request']")
    await expect(support).to_contain_text("Robin")
    await expect(guide.locator("#staff-alert-announcer")).to_contain_text("asked for support")
    await staff_screens(guide, "staff-journey")
    await support.locator(".staff-ack").click()
    await need.locator(".staff-ack").click()
    await expect(guide.locator(".staff-alert[data-alert-id]")).to_have_count(0)
    await panel.get_by_role("button", name="Close check-in").click()
    await expect(phone.locator("#checkin-card")).to_be_hidden()
    await expect(panel.locator("#staff-last-checkin")).to_contain_text("last check-in (1)")

    # integration: Sky arrives; a round with the talking piece, Sky first
    await panel.locator("#staff-phase-integration").click()
    await expect(phone.locator("#phase-banner")).to_have_attribute("data-phase", "integration")
    sky_socket = await Socket.joined(server.ws_url, sky.access, room_id)
    try:
        await expect(panel.locator("#staff-present")).to_contain_text("Sky")
        await panel.get_by_role("button", name="Move Sky earlier").click()
        await expect(panel.locator("#staff-round-order li").first).to_contain_text("Sky")
        await panel.get_by_role("button", name="Start round").click()
        await expect(phone.locator("#round-current")).to_have_text("Sky")

        await phone.fill("#composer", "May I add something now?")
        await phone.keyboard.press("Enter")
        refused = message(phone, "May I add something now?")
        await expect(refused).to_contain_text("holds the talking piece")
        await refused.locator(".msg-discard").click()
        shared = await sky_socket.say(room_id, "I saw my grandmother's kitchen")
        assert shared["type"] == "ack", shared
        stray = await sky_socket.say(room_id, "Something that should not stay up")
        assert stray["type"] == "ack", stray
        await expect(message(phone, "I saw my grandmother's kitchen")).to_have_count(1)
        await expect(message(phone, "Something that should not stay up")).to_have_count(1)

        # the facilitator removes a message; it disappears on the participant's screen
        await message(guide, "Something that should not stay up").locator(".msg-more").click()
        await guide.locator("#dialog").get_by_role("button", name="Remove message…").click()
        await guide.locator("#dialog input, #dialog textarea").first.fill("Off topic for the round")
        await guide.locator("#dialog").get_by_role("button", name="Remove message").click()
        removed = phone.locator(f"#msg-{stray['message_id']}")
        await expect(removed).to_have_attribute("data-state", "removed")
        await expect(removed).not_to_contain_text("should not stay up")
        await expect(message(phone, "Something that should not stay up")).to_have_count(0)

        await panel.get_by_role("button", name="Next speaker").click()
        await expect(phone.locator("#round-current")).to_have_text("You")
        await phone.fill("#composer", "I saw a forest made of light")
        await phone.keyboard.press("Enter")
        await expect(message(guide, "I saw a forest made of light")).to_have_count(1)
        await panel.get_by_role("button", name="End round").click()
        await expect(phone.locator("#round-status")).to_be_hidden()
    finally:
        await sky_socket.close()

    # a contact detail is held back, kindly explained
    await phone.fill("#composer", "write to me: robin.k at gmail dot com")
    await phone.keyboard.press("Enter")
    blocked = message(phone, "gmail dot com")
    await expect(blocked).to_contain_text("an email address")
    await expect(blocked).to_contain_text("Nothing was sent")
    await blocked.locator(".msg-discard").click()
    await expect(message(guide, "gmail")).to_have_count(0)

    # the network drops and comes back: nothing lost, nothing doubled
    await phone.context.set_offline(True)
    await expect(phone.locator("#conn-status")).to_contain_text("offline")
    await phone.fill("#composer", "Still here after the wobble")
    await phone.keyboard.press("Enter")
    await expect(phone.locator("#messages .msg.pending")).to_have_count(1)
    await guide.fill("#composer", "Welcome back, everyone")
    await guide.keyboard.press("Enter")
    await expect(message(guide, "Welcome back, everyone")).to_have_count(1)
    await phone.context.set_offline(False)
    await expect(phone.locator("#conn-status")).to_contain_text("Back online")
    await expect(message(phone, "Welcome back, everyone")).to_have_count(1)
    await expect(message(guide, "Still here after the wobble")).to_have_count(1)
    await expect(phone.locator("#messages .msg.pending")).to_have_count(0)
    await expect(message(phone, "Still here after the wobble")).to_have_count(1)

    for page in (guide, phone):
        assert not console_errors(page), console_errors(page)
        await close(page)
