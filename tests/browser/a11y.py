"""Accessibility checks (axe-core, vendored) and screenshots for the docs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from playwright.async_api import Page, ViewportSize

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# The docs' pictures are renewed on purpose (`make screenshots`), not by every
# test run: a run elsewhere would rewrite them with pixel-level noise.
SCREENSHOTS = Path(
    os.environ.get("IC_SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "ic-screenshots"
)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING = {"serious", "critical"}
DESK = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=360, height=780)


async def run_axe(page: Page) -> list[dict[str, Any]]:
    """Every axe violation on the page as it is now."""
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the devtools protocol, so the page's strict CSP stays on.
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = await page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return list(result["violations"])


async def check_axe(page: Page, name: str) -> None:
    """Fail on serious or critical WCAG 2.2 AA violations, listing each one."""
    violations = [v for v in await run_axe(page) if v.get("impact") in FAILING]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe on {name}:\n" + "\n".join(lines)


async def screenshot(page: Page, name: str) -> Path:
    """Save <name>.png (the viewport, as a person sees it) into SCREENSHOTS."""
    path = SCREENSHOTS / f"{name}.png"
    await page.mouse.move(1, 1)  # no hover highlight left from the last click
    await page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


async def desk_screens(page: Page, name: str) -> None:
    """axe and screenshots of a staff screen at desk width, light then dark, from the top.

    Leaves the page at phone width, dark, scrolled to the top, for the caller's phone shots.
    """
    await page.mouse.move(0, 0)  # no hover state in the pictures
    await page.evaluate("window.scrollTo(0, 0)")
    await page.evaluate("document.getElementById('staff-panel')?.scrollTo(0, 0)")
    for scheme in ("light", "dark"):
        await page.emulate_media(color_scheme=scheme)
        await check_axe(page, f"{name}-{scheme}")
        await screenshot(page, f"{name}-{scheme}")
    await page.set_viewport_size(PHONE)
    await page.evaluate("window.scrollTo(0, 0)")
