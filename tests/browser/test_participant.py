"""A participant in the browser: joining, the agreement, chat, the circle's phases,
check-ins, support, kind explanations, contact cards and their own data."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from tests.browser.a11y import check_axe, screenshot
from tests.browser.pages import (
    ColorScheme,
    close,
    console_errors,
    member_emails,
    open_page,
    open_room,
    sign_in,
)
from tests.integration.client import PASSWORD, Api, Socket, World
from tests.integration.conftest import Instance


async def both_themes(page: Page, name: str) -> None:
    """Screenshot and axe in the light theme, then the same screen in the dark one."""
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways on a 360-px phone ({width}px)"
    await page.emulate_media(color_scheme="light")
    await check_axe(page, f"{name} (light)")
    await screenshot(page, f"{name}-light")
    await page.emulate_media(color_scheme="dark")
    await check_axe(page, f"{name} (dark)")
    await screenshot(page, f"{name}-dark")
    await page.emulate_media(color_scheme="light")


async def signed_in(browser: Browser, server: Instance, api: Api, world: World, name: str) -> Page:
    page = await open_page(browser)
    await sign_in(page, server.url, (await member_emails(api, world))[name])
    return page


async def axe_both(page: Page, name: str) -> None:
    """axe in the light theme and in the dark one (contrast differs)."""
    schemes: list[ColorScheme] = ["light", "dark"]
    for scheme in schemes:
        await page.emulate_media(color_scheme=scheme)
        await check_axe(page, f"{name} ({scheme})")
    await page.emulate_media(color_scheme="light")


def no_page_errors(page: Page) -> None:
    errors = [e for e in console_errors(page) if "Failed to load resource" not in e]
    assert not errors, errors


async def test_invite_agreement_and_first_message(
    server: Instance, api: Api, browser: Browser
) -> None:
    """A person redeems an invite with a pseudonym, waits for clearance, accepts the
    agreement and says hello in their circle."""
    world = await api.circle(0)
    invite = await api.invite(
        world.admin, world.program_id, f"n-{uuid.uuid4().hex[:6]}@example-mail.org"
    )
    page = await open_page(browser)
    await page.goto(server.url)
    await expect(page.locator("#invite-form")).to_be_visible()
    await both_themes(page, "signin")
    await page.fill("#invite-code", invite)
    await page.fill("#invite-name", "Wren")
    await page.fill("#invite-password", PASSWORD)
    await page.click("#invite-submit")
    await expect(page.locator("#circle-list")).to_contain_text("finishing your clearance")
    await page.click("#circle-list a[href$='/agreement']")
    await expect(page.locator("#waiting-clearance")).to_be_visible()
    await axe_both(page, "waiting for clearance")

    members = await api.ok("GET", f"/api/programs/{world.program_id}/members", world.admin.access)
    wren = next(m for m in members if m["display_name"] == "Wren")
    await api.ok(
        "POST",
        f"/api/programs/{world.program_id}/members/{wren['member_id']}/clear",
        world.facilitator.access,
    )
    await page.click("#check-again")
    await expect(page.locator("#accept-agreement")).to_be_visible()
    await axe_both(page, "agreement")
    await page.click("#accept-agreement")
    await page.click("text=Go to your circles")
    rooms = page.locator("#circle-list a.room-link")
    await expect(rooms.first).to_be_visible()
    await both_themes(page, "circles")

    await page.click("#circle-list a.room-link[data-room-id] >> text=Preparation")
    await expect(page.locator("#phase-banner")).to_have_attribute("data-phase", "preparation")
    await page.fill("#composer", "Hello, I'm new here.\nGlad to be in the circle.")
    await page.keyboard.press("Enter")
    mine = page.locator("#messages .msg.mine:not(.pending)")
    await expect(mine).to_have_count(1)
    await expect(mine.locator(".msg-body")).to_have_text(
        "Hello, I'm new here.\nGlad to be in the circle."
    )
    no_page_errors(page)
    await close(page)


async def test_history_reactions_edit_and_delete(
    server: Instance, api: Api, browser: Browser
) -> None:
    """Older messages load on scrolling up; a participant resonates, edits and deletes."""
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["integration"]
    sky_socket = await Socket.joined(server.ws_url, sky.access, room_id)
    for index in range(70):
        ack = await sky_socket.say(room_id, f"seed {index}")
        assert ack["type"] == "ack", ack
    page = await signed_in(browser, server, api, world, robin.name)
    await open_room(page, room_id)
    log = page.locator("#messages")
    await expect(log.locator(".msg")).to_have_count(50)
    await expect(log).to_contain_text("seed 69")
    await expect(log).not_to_contain_text("seed 0\n")
    await page.locator("#scroller").evaluate("(el) => { el.scrollTop = 0; }")
    await expect(log.locator(".msg")).to_have_count(70)
    await expect(log.locator(".msg").first.locator(".msg-body")).to_have_text("seed 0")
    await expect(page.locator("#load-earlier")).to_be_hidden()

    last = log.locator(".msg", has_text="seed 69")
    await last.locator("button.msg-react").click()
    await expect(last.locator("button.reaction[data-reaction='resonate']")).to_have_attribute(
        "aria-pressed", "true"
    )
    reaction = await sky_socket.expect("event", event="reaction.added")
    assert reaction["data"]["reactions"] == {"resonate": [robin.member_id]}
    # The menu by keyboard: Enter opens it, Escape closes it and focus returns.
    await last.locator("button.msg-more").focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#dialog")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.locator("#dialog")).to_be_hidden()
    await expect(last.locator("button.msg-more")).to_be_focused()
    # Another reaction through the menu.
    await last.locator("button.msg-more").click()
    await page.click("#dialog .menu button:has-text('Candle')")
    await expect(last.locator("button.reaction[data-reaction='candle']")).to_be_visible()

    # Telling a facilitator about someone else's message.
    await log.locator(".msg", has_text="seed 68").locator("button.msg-more").click()
    await page.click("#dialog .menu button:has-text('Tell a facilitator')")
    await page.fill("#dialog textarea", "this one felt unkind")
    await page.click("#dialog button.primary")
    await expect(page.locator("#error-line")).to_contain_text("Your facilitators will take a look")
    reports = await api.ok(
        "GET", f"/api/programs/{world.program_id}/reports", world.facilitator.access
    )
    assert [r["reason"] for r in reports] == ["this one felt unkind"]

    await page.fill("#composer", "A first thought")
    await page.keyboard.press("Enter")
    mine = log.locator(".msg.mine:not(.pending)")
    await expect(mine).to_have_count(1)
    await mine.locator("button.msg-more").click()
    await page.click("#dialog .menu button:text-is('Edit')")
    await expect(page.locator("#edit-banner")).to_be_visible()
    await page.fill("#composer", "A kinder thought")
    await page.keyboard.press("Enter")
    await expect(mine.locator(".msg-body")).to_have_text("A kinder thought")
    await expect(mine.locator(".msg-edited")).to_be_visible()
    edited = await sky_socket.expect("event", event="message.edited")
    assert edited["data"]["body"] == "A kinder thought"
    await page.keyboard.press("Shift+Enter")
    assert await page.input_value("#composer") == "\n"  # Shift+Enter is a new line, not a send
    await page.fill("#composer", "")

    await both_themes(page, "room")

    await mine.locator("button.msg-more").click()
    await page.click("#dialog .menu button:text-is('Delete')")
    await page.click("#dialog button.primary")
    tombstone = log.locator(".msg.mine")
    await expect(tombstone).to_have_attribute("data-state", "deleted")
    await expect(tombstone).to_contain_text("This message was deleted.")
    await expect(tombstone).not_to_contain_text("kinder")
    await sky_socket.close()
    no_page_errors(page)
    await close(page)


async def test_blocked_and_held_messages_are_explained(
    server: Instance, api: Api, browser: Browser
) -> None:
    """Contact details are kept back with the kinds found; a held message waits visibly
    until a facilitator approves it."""
    world = await api.circle(1)
    (robin,) = world.participants
    room_id = world.rooms["preparation"]
    staff = await Socket.joined(server.ws_url, world.facilitator.access, room_id)
    page = await signed_in(browser, server, api, world, robin.name)
    await open_room(page, room_id)

    await page.fill("#composer", "write to me: robin.w at gmail dot com or call 555 123 4567")
    await page.keyboard.press("Enter")
    failed = page.locator("#messages .msg.failed")
    await expect(failed).to_contain_text("an email address and a phone number")
    await expect(failed).to_contain_text("Nothing was sent")
    await axe_both(page, "blocked message")
    await failed.locator("button.msg-fix").click()
    await expect(failed).to_have_count(0)
    assert "gmail" in await page.input_value("#composer")
    await page.fill("#composer", "")

    reply = await staff.request({"type": "settings", "room_id": room_id, "premoderation": True})
    assert reply["type"] == "room_state", reply
    await expect(page.locator("#phase-banner")).to_contain_text("reads messages before")
    await page.fill("#composer", "Something I want to share carefully")
    await page.keyboard.press("Enter")
    held = page.locator("#held-list .held")
    await expect(held).to_contain_text("Waiting for a facilitator")
    await expect(held).to_contain_text("Something I want to share carefully")
    await expect(page.locator("#messages .msg")).to_have_count(0)
    queued = await staff.expect("pending")
    approved = await staff.request(
        {"type": "approve", "room_id": room_id, "pending_id": queued["pending"]["pending_id"]}
    )
    assert approved["type"] == "approved", approved
    await expect(page.locator("#messages .msg.mine")).to_contain_text(
        "Something I want to share carefully"
    )
    await expect(held).to_have_count(0)
    await staff.close()
    no_page_errors(page)
    await close(page)


async def test_quiet_phase_checkin_support_and_talking_piece(
    server: Instance, api: Api, browser: Browser
) -> None:
    """The journey shows a quiet screen; a check-in and a support request reach staff at
    once; in integration the talking piece passes from speaker to speaker."""
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["preparation"]
    staff = await Socket.joined(server.ws_url, world.facilitator.access, room_id)
    page = await signed_in(browser, server, api, world, robin.name)
    await open_room(page, room_id)
    sky_socket = await Socket.joined(server.ws_url, sky.access, room_id)

    for phase in ("dosing", "journey"):
        reply = await staff.request({"type": "phase", "room_id": room_id, "phase": phase})
        assert reply["type"] == "room_state", reply
    quiet = page.locator("#quiet-screen")
    await expect(quiet).to_contain_text("The circle is journeying")
    await expect(page.locator("#composer-form")).to_be_hidden()
    await both_themes(page, "quiet")

    opened = await staff.request(
        {"type": "checkin_open", "room_id": room_id, "prompt": "How are you, right now?"}
    )
    assert opened["type"] == "checkin_opened", opened
    card = page.locator("#checkin-card")
    await expect(card).to_contain_text("How are you, right now?")
    await page.fill("#checkin-note", "the music feels loud")
    await page.click("#checkin-need")
    await expect(card).to_contain_text("Thank you")
    answer = await staff.expect("checkin_answer")
    assert (answer["member_id"], answer["answer"], answer["note"]) == (
        robin.member_id,
        "need_support",
        "the music feels loud",
    )
    alert = await staff.expect("alert")
    assert alert["alert"]["kind"] == "need_support"

    await page.click("#support-button")
    await expect(page.locator("#dialog")).to_contain_text("Support is on its way")
    alert = await staff.expect("alert")
    assert (alert["alert"]["kind"], alert["alert"]["member_id"], alert["alert"]["room_id"]) == (
        "support_request",
        robin.member_id,
        room_id,
    )
    await page.click("#dialog button.quiet")

    reply = await staff.request({"type": "phase", "room_id": room_id, "phase": "integration"})
    assert reply["type"] == "room_state", reply
    await expect(quiet).to_be_hidden()
    await expect(page.locator("#composer-form")).to_be_visible()
    reply = await staff.request(
        {"type": "round_start", "room_id": room_id, "order": [robin.member_id, sky.member_id]}
    )
    assert reply["type"] == "room_state", reply
    status = page.locator("#round-status")
    await expect(status).to_contain_text("You hold the talking piece")
    await expect(page.locator("#round-next")).to_have_text("Next: Sky")
    await axe_both(page, "talking piece")
    await page.click("#round-finish")
    await expect(page.locator("#round-current")).to_have_text("Sky")
    await expect(page.locator("#composer")).to_have_attribute(
        "placeholder", "Listening while Sky speaks…"
    )
    await page.fill("#composer", "May I add something?")
    await page.keyboard.press("Enter")
    await expect(page.locator("#messages .msg.failed")).to_contain_text(
        "Someone else holds the talking piece"
    )
    await staff.close()
    await sky_socket.close()
    no_page_errors(page)
    await close(page)


async def test_cards_export_and_erase(
    server: Instance, api: Api, browser: Browser, tmp_path: Path
) -> None:
    """After unlock a participant writes a card, shares it, sees the card shared back;
    then downloads their data and erases their messages."""
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["community"]
    robin_socket = await Socket.joined(server.ws_url, robin.access, room_id)
    assert (await robin_socket.say(room_id, "thank you all"))["type"] == "ack"
    await robin_socket.close()
    pid = world.program_id
    await api.ok("POST", f"/api/programs/{pid}/status", world.admin.access, {"status": "completed"})
    await api.ok(
        "POST", f"/api/programs/{pid}/contact-exchange", world.admin.access, {"state": "unlocked"}
    )
    page = await signed_in(browser, server, api, world, robin.name)
    await page.click("a.cards-link")
    await expect(page.locator("#card-form")).to_be_visible()
    await expect(page.locator("#no-cards")).to_be_visible()
    await page.fill("#card-name", "Robin W.")
    await page.fill("#card-email", "robin@example-mail.org")
    await page.click("#card-save")
    await expect(page.locator("#card-saved")).to_have_text("Your card is saved.")
    sky_fresh = await api.login((await member_emails(api, world))[sky.name])
    await api.ok(
        "PUT",
        f"/api/programs/{pid}/card",
        sky_fresh.access,
        {"name": "Sky L.", "phone": "+1 555 010 0199"},
    )
    await api.ok("PUT", f"/api/programs/{pid}/card/sharing", sky_fresh.access, {"mode": "everyone"})
    await expect(page.locator("#no-cards")).to_be_visible()  # Robin shares with nobody yet
    await page.check("#share-mode-chosen")
    await page.check(f"#share-{sky.member_id}")
    await page.click("#share-save")
    await expect(page.locator("#share-saved")).to_have_text("Your choice is saved.")
    shared = page.locator(f"#cards-shared li.contact-card[data-member-id='{sky.member_id}']")
    await expect(shared).to_contain_text("Sky L.")
    await expect(shared).to_contain_text("+1 555 010 0199")
    await both_themes(page, "cards")

    await page.click("#nav-data")
    async with page.expect_download() as download_info:
        await page.click("#export-data")
    download = await download_info.value
    target = tmp_path / "export.json"
    await download.save_as(target)
    exported = json.loads(target.read_text())
    assert "thank you all" in json.dumps(exported)
    await page.click("#erase-messages")
    await page.click("#dialog button.primary")
    await expect(page.locator("#erase-result")).to_have_text("1 message was erased.")
    await axe_both(page, "your data")
    no_page_errors(page)
    await close(page)
