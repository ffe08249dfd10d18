"""Quick answers around the card on a phone (375×667): two objections in one message, the compact
"more", a follow-up in the card's context. Screenshots: results/screenshots/quick-*.png (and /tmp
copies named by COACH_SHOTS_TMP for a reviewer)."""
from __future__ import annotations

import os
import shutil

from playwright.sync_api import Page, expect

from tests.browser.helpers import SHOTS, bot_card, login, send


def _shot(page: Page, name: str) -> None:
    path = SHOTS / f"quick-{name}.png"
    page.screenshot(path=str(path))
    if os.environ.get("COACH_SHOTS_TMP"):
        shutil.copy(path, os.path.join(os.environ["COACH_SHOTS_TMP"], path.name))


def _fits(page: Page, locator) -> bool:
    box = locator.bounding_box()
    width = page.evaluate("window.innerWidth")
    return box is not None and box["width"] <= width and page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_two_objections_in_one_message_then_open_one(page, servers):
    login(page, "web-two", servers)
    send(page, "老板又嫌贵又要先铺货")
    both = bot_card(page, "two_objections").last
    expect(both).to_contain_text("价格太高")
    expect(both).to_contain_text("铺货")
    assert both.locator(".objection-part").count() == 2
    assert _fits(page, both)
    _shot(page, "two-objections")
    both.locator("button.chip").first.click()
    expect(bot_card(page, "objection_card").last).to_contain_text("价格太高")


def test_compact_more_fits_one_screen(page, servers):
    login(page, "web-more", servers)
    send(page, "老板说你们价格太高了")
    card = bot_card(page, "objection_card").last
    expect(card).to_contain_text("价格太高")
    card.locator("button.chip", has_text="我们确实更贵").click()
    bot_card(page, "strategy").last.locator("button.chip", has_text="怕利润太薄").click()
    expect(bot_card(page, "strategy").last).to_contain_text("最低利润")
    send(page, "更多")
    more = bot_card(page, "objection_detail").last
    expect(more).to_contain_text("怕利润太薄")
    expect(more.locator("button.chip", has_text="价格其实差不多")).to_be_visible()
    more.scroll_into_view_if_needed()
    box = more.bounding_box()
    assert box is not None and box["height"] <= 667, f"compact 'more' is {box and box['height']}px tall"
    assert _fits(page, more)
    _shot(page, "compact-more")


def test_a_described_reason_after_a_card_gets_its_case(page, servers):
    login(page, "web-reason", servers)
    send(page, "老板说你们价格太高了")
    expect(bot_card(page, "objection_card").last).to_contain_text("价格太高")
    send(page, "他怕顾客不接受这个价")
    expect(bot_card(page, "strategy").last).to_contain_text("怕顾客不接受")
    send(page, "那我该怎么说")
    expect(bot_card(page, "next_line").last).to_contain_text("下一句")
