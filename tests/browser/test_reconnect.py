"""The network drops and comes back: what was typed meanwhile is sent exactly once, and
what others said meanwhile fills in through resume, without duplicates."""

from __future__ import annotations

from aiohttp import web
from playwright.async_api import Browser, WebSocketRoute, expect

from server.app import build_app
from server.http.keys import SERVICES_KEY
from tests.browser.a11y import check_axe
from tests.browser.pages import close, member_emails, open_page, open_room, sign_in
from tests.integration.client import Api, Socket
from tests.integration.conftest import Instance, StartInstance


async def test_offline_then_online_loses_nothing_and_repeats_nothing(
    server: Instance, api: Api, browser: Browser
) -> None:
    """Messages written offline show as pending and are delivered once when back online;
    messages sent by others meanwhile appear once, in order."""
    world = await api.circle(2)
    robin, sky = world.participants
    room_id = world.rooms["integration"]
    sky_socket = await Socket.joined(server.ws_url, sky.access, room_id)
    page = await open_page(browser)
    await sign_in(page, server.url, (await member_emails(api, world))[robin.name])
    await open_room(page, room_id)
    log = page.locator("#messages")
    assert (await sky_socket.say(room_id, "before the drop"))["type"] == "ack"
    await expect(log).to_contain_text("before the drop")

    await page.context.set_offline(True)
    status = page.locator("#conn-status")
    await expect(status).to_contain_text("offline")
    for body in ("written offline 1", "written offline 2"):
        await page.fill("#composer", body)
        await page.keyboard.press("Enter")
    pending = log.locator(".msg.pending")
    await expect(pending).to_have_count(2)
    await expect(pending.first).to_contain_text("Waiting for the connection")
    await expect(page.locator("#composer")).to_be_editable()
    await check_axe(page, "room while offline")
    for index in range(3):
        assert (await sky_socket.say(room_id, f"said meanwhile {index}"))["type"] == "ack"

    await page.context.set_offline(False)
    await expect(status).to_have_text("Back online")
    await expect(pending).to_have_count(0)
    bodies = log.locator(".msg .msg-body")
    await expect(bodies).to_have_text(
        [
            "before the drop",
            "written offline 1",
            "written offline 2",
            "said meanwhile 0",
            "said meanwhile 1",
            "said meanwhile 2",
        ]
        if (await bodies.nth(1).text_content()) == "written offline 1"
        else [
            "before the drop",
            "said meanwhile 0",
            "said meanwhile 1",
            "said meanwhile 2",
            "written offline 1",
            "written offline 2",
        ]
    )
    # The server stored each offline message once (a re-send reuses its client id).
    history = await api.ok("GET", f"/api/rooms/{room_id}/messages?limit=50", sky.access)
    stored = [m["body"] for m in history["messages"]]
    assert stored.count("written offline 1") == 1
    assert stored.count("written offline 2") == 1
    created = [e for e in sky_socket.events(room_id) if e["event"] == "message.created"]
    assert [e["data"]["body"] for e in created].count("written offline 1") == 1

    # Seq order in the log matches the server's order.
    seqs = await log.locator(".msg").evaluate_all("(els) => els.map((e) => Number(e.dataset.seq))")
    assert seqs == sorted(seqs)
    await sky_socket.close()
    await close(page)


async def test_server_restart_shows_reconnecting_and_resends_once(
    start_instance: StartInstance, browser: Browser
) -> None:
    """The server goes away: the page says it is reconnecting, keeps what is typed as
    pending, and sends it once when the server is back on the same address."""
    first = await start_instance(login_rate="1000/minute")
    async with Api(first.url, first.services) as api:
        world = await api.circle(1)
        (robin,) = world.participants
        email = (await member_emails(api, world))[robin.name]
    room_id = world.rooms["community"]
    page = await open_page(browser)
    await sign_in(page, first.url, email)
    await open_room(page, room_id)
    await page.fill("#composer", "just before")
    await page.keyboard.press("Enter")
    await expect(page.locator("#messages .msg.mine:not(.pending)")).to_have_count(1)

    await first.stop()
    status = page.locator("#conn-status")
    await expect(status).to_have_text("Reconnecting…")
    await page.fill("#composer", "while the server was away")
    await page.keyboard.press("Enter")
    await expect(page.locator("#messages .msg.pending")).to_have_count(1)

    app = build_app(first.services.settings)
    runner = web.AppRunner(app, shutdown_timeout=2)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", first.port).start()
    try:
        await expect(status).to_have_text("Back online", timeout=20_000)
        await expect(page.locator("#messages .msg.pending")).to_have_count(0)
        await expect(page.locator("#messages .msg-body")).to_have_text(
            ["just before", "while the server was away"]
        )
        async with Api(first.url, app[SERVICES_KEY]) as again:
            fresh = await again.login(email)
            history = await again.ok("GET", f"/api/rooms/{room_id}/messages", fresh.access)
        assert [m["body"] for m in history["messages"]] == [
            "just before",
            "while the server was away",
        ]
    finally:
        await close(page)
        await runner.cleanup()


async def test_unsent_messages_survive_a_reload(
    server: Instance, api: Api, browser: Browser
) -> None:
    """A message written while the socket cannot get through is kept in the tab; after a
    reload it is sent with the same client id and stored once."""
    world = await api.circle(1)
    (robin,) = world.participants
    room_id = world.rooms["community"]
    page = await open_page(browser)
    blocked = True

    async def gate(ws: WebSocketRoute) -> None:
        if not blocked:
            ws.connect_to_server()  # otherwise: a socket that never answers

    await page.route_web_socket("**/ws", gate)
    await sign_in(page, server.url, (await member_emails(api, world))[robin.name])
    await open_room(page, room_id)
    await page.fill("#composer", "kept across a reload")
    await page.keyboard.press("Enter")
    await expect(page.locator("#messages .msg.pending")).to_have_count(1)

    blocked = False
    await page.reload()
    await expect(page.locator("#view-room")).to_have_attribute("data-room-id", room_id)
    mine = page.locator("#messages .msg.mine:not(.pending)")
    await expect(mine).to_have_count(1)
    await expect(mine.locator(".msg-body")).to_have_text("kept across a reload")
    history = await api.ok("GET", f"/api/rooms/{room_id}/messages", robin.access)
    assert [m["body"] for m in history["messages"]] == ["kept across a reload"]
    await close(page)
