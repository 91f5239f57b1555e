"""A program lead in the browser: invite (the code works), record clearance, remove, publish a
new agreement version, complete the program, unlock contact exchange and read the audit log
a page at a time — then two participants exchange contact cards in their own browsers."""

from __future__ import annotations

import asyncio

from playwright.async_api import Browser, Page, expect

from tests.browser.a11y import DESK, PHONE, check_axe, desk_screens, screenshot
from tests.browser.pages import close, console_errors, member_emails, open_page, sign_in
from tests.integration.client import Api
from tests.integration.conftest import Instance


async def lead_screens(page: Page, name: str) -> None:
    """axe and screenshots: light and dark at desk width, then at phone width."""
    await desk_screens(page, name)
    await check_axe(page, f"{name}-phone-dark")
    await screenshot(page, f"{name}-phone-dark")
    await page.emulate_media(color_scheme="light")
    await screenshot(page, f"{name}-phone-light")
    await page.set_viewport_size(DESK)


async def confirm(page: Page, button: str) -> None:
    await page.locator("#dialog").get_by_role("button", name=button, exact=True).click()
    await expect(page.locator("#dialog")).not_to_be_visible()


async def test_lead_completes_and_unlocks_then_cards_are_exchanged(
    server: Instance, api: Api, browser: Browser
) -> None:
    world = await api.circle(2)
    robin, sky = world.participants
    pid = world.program_id
    emails = await member_emails(api, world)
    # Enough history for more than one page of the audit log (exports are audited).
    await asyncio.gather(*(api.ok("GET", "/api/me/export", robin.access) for _ in range(50)))

    lead = await open_page(browser, width=DESK["width"], height=DESK["height"])
    await sign_in(lead, server.url, world.admin.email)
    await lead.click(f"a.manage-link[data-program-id='{pid}']")
    await expect(lead.locator("#page-title")).to_contain_text("people and program")
    await expect(lead.locator("#lead-members-participant")).to_contain_text("Robin")
    await expect(lead.locator("#lead-members-participant")).to_contain_text("Secret Surname 0")

    # invite: the code is shown to copy, and it works
    await lead.fill("#lead-invite-email", "noor@example-mail.org")
    await lead.fill("#lead-invite-name", "Noor Real")
    await lead.click("#lead-invite-submit")
    code = await lead.locator("#lead-invite-code").input_value()
    assert code.count(".") == 2, code  # a JWT
    await expect(lead.locator("#lead-invite-code")).to_be_focused()
    noor = await api.redeem(code, "Noor")
    await lead.click("#lead-refresh")
    row = lead.locator("#lead-members-participant li", has_text="Noor")
    await expect(row).to_have_attribute("data-status", "invited")
    await row.get_by_role("button", name="Record clearance for Noor").click()
    await expect(row).to_have_attribute("data-status", "cleared")
    await row.get_by_role("button", name="Remove Noor from the program").click()
    await confirm(lead, "Remove")
    await expect(row).to_have_attribute("data-status", "removed")
    status, _ = await api.call("GET", "/api/me", noor.access)
    assert status == 200  # the account stays; the membership is gone
    assert not (await api.me(noor))["memberships"]

    # a staff account joins the care team
    kim = await api.staff(world.admin, "Kim Guide")
    await lead.fill("#lead-staff-email", kim.email)
    await lead.select_option("#lead-staff-role", "facilitator")
    await lead.fill("#lead-staff-name", "Guide Kim")
    await lead.click("#lead-staff-submit")
    await expect(lead.locator("#lead-members-facilitator")).to_contain_text("Guide Kim")

    # a new agreement version
    await lead.locator("#lead-agreement summary", has_text="Write a new version").click()
    await lead.fill("#lead-agreement-text", "What is shared here stays here.\n\nWe listen gently.")
    await lead.click("#lead-agreement-publish")
    await confirm(lead, "Publish")
    await expect(lead.locator("#lead-versions > li")).to_have_count(2)
    await expect(lead.locator("#lead-agreement-current")).to_contain_text("We listen gently.")
    await lead_screens(lead, "lead-program")

    # complete the program, then unlock contact exchange
    await lead.click("#lead-complete")
    await confirm(lead, "Complete the program")
    await expect(lead.locator("#lead-status")).to_have_attribute("data-status", "completed")
    await lead.click("#lead-unlock")
    await confirm(lead, "Unlock")
    await expect(lead.locator("#lead-exchange")).to_have_attribute("data-state", "unlocked")

    # the audit log, newest first, a page at a time
    await lead.click("#lead-audit-link")
    entries = lead.locator("#audit-list > li")
    await expect(entries.first).to_have_attribute("data-action", "contact_exchange.changed")
    await expect(entries).to_have_count(50)
    await lead.click("#audit-more")
    await expect(lead.locator("#audit-more")).to_be_hidden()
    ids = await entries.evaluate_all("els => els.map((e) => e.dataset.id)")
    assert len(ids) > 50 and len(set(ids)) == len(ids)
    actions = await entries.evaluate_all("els => els.map((e) => e.dataset.action)")
    for expected in ("program.status", "agreement.published", "member.removed", "data.exported"):
        assert expected in actions, expected
    assert actions[-1] == "program.status"  # the oldest: the program started (draft → active)
    await lead_screens(lead, "lead-audit")
    assert not console_errors(lead), console_errors(lead)
    await close(lead)

    # two participants exchange cards, each in their own browser
    pages = {}
    for person in (robin, sky):
        page = await open_page(browser, width=PHONE["width"], height=PHONE["height"])
        await sign_in(page, server.url, emails[person.name])
        await page.click(f"a[href='#/program/{pid}/cards']")
        await expect(page.locator("#card-form")).to_be_visible()
        await page.fill("#card-name", f"{person.name} Real")
        await page.fill("#card-email", f"{person.name.lower()}@example-mail.org")
        await page.click("#card-save")
        await expect(page.locator("#card-saved")).not_to_be_empty()
        await page.check("#share-mode-everyone")
        await page.click("#share-save")
        await expect(page.locator("#share-saved")).not_to_be_empty()
        pages[person.name] = page
    for person, other in ((robin, sky), (sky, robin)):
        card = pages[person.name].locator(f"#cards-shared [data-member-id='{other.member_id}']")
        await expect(card).to_contain_text(f"{other.name.lower()}@example-mail.org")
    for page in pages.values():
        assert not console_errors(page), console_errors(page)
        await close(page)
