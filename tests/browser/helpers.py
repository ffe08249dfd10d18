"""What the browser tests share: where screenshots go, and the rep's usual steps."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from coach.settings import PROJECT_ROOT
from tests.integration.test_sign_in import invite

SHOTS = PROJECT_ROOT / "results" / "screenshots"


def login(page: Page, name: str, servers: Any, role: str = "rep") -> str:
    """Sign in as `name` on this phone: a new person in the servers' database, their code typed into
    the form as a rep would. The same name twice is two people: keep the code to sign in again."""
    _, code = invite(servers, name, role=role)
    sign_in_with(page, code)
    return code


def sign_in_with(page: Page, code: str) -> None:
    page.fill("#login-code", code)
    page.click("#login-submit")
    expect(page.locator("#composer-input")).to_be_visible()


def send(page: Page, text: str) -> None:
    page.fill("#composer-input", text)
    page.click("#composer-send")


def bot_card(page: Page, kind: str) -> Locator:
    return page.locator(f'#messages .msg-bot[data-type="{kind}"]')
