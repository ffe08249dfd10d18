"""What the browser tests share: where screenshots go, and the rep's usual steps."""
from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from coach.settings import PROJECT_ROOT

SHOTS = PROJECT_ROOT / "results" / "screenshots"


def login(page: Page, name: str) -> None:
    page.fill("#login-name", name)
    page.click("#login-submit")
    expect(page.locator("#composer-input")).to_be_visible()


def send(page: Page, text: str) -> None:
    page.fill("#composer-input", text)
    page.click("#composer-send")


def bot_card(page: Page, kind: str) -> Locator:
    return page.locator(f'#messages .msg-bot[data-type="{kind}"]')
