"""Fixtures for the browser tests: Debian's chromium driven by Playwright, at a phone's 375×667.

The coach is started by the project's own scripts/run.sh (the `servers` fixture). Screenshots
of every flow go to results/screenshots/ (git-ignored) for a person to look at.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import ContextManager, Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from tests.browser.helpers import SHOTS
from tests.conftest import Servers

CHROMIUM = "/usr/bin/chromium"
# Flags the machine needs: no sandbox as root, and no background calls to Google's hosts.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).is_file(), "chromium missing: `make test` installs it (scripts/browser_setup.sh)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


@contextmanager
def app_page(browser: Browser, servers: Servers, **context_options: object) -> Iterator[Page]:
    """The chat page in a fresh browser context (its own storage: another device), with its JS errors
    collected in `page.errors` (checked on the way out) and dialogs in `page.dialogs`."""
    context = browser.new_context(**{"locale": "zh-CN", **context_options})  # type: ignore[arg-type]
    page = context.new_page()
    page.dialogs = []

    def on_dialog(dialog: Dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"http://localhost:{servers.port}/webhooks/coach/")
    try:
        yield page
        assert page.errors == [], f"JavaScript errors: {page.errors}"
    finally:
        context.close()


def phone_page(browser: Browser, servers: Servers, locale: str = "zh-CN") -> ContextManager[Page]:
    """app_page on a phone (375×667, touch)."""
    return app_page(browser, servers, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                    locale=locale)


@pytest.fixture
def page(browser, servers, request):
    with phone_page(browser, servers) as page:
        yield page
        page.screenshot(path=str(SHOTS / f"{request.node.name}-end.png"), full_page=False)
