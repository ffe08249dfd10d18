"""The page's strings come from the server, its files are served as modules, its icons are SVG."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from email.message import Message
from typing import Tuple

import pytest
from playwright.sync_api import expect

from coach.i18n import HANS, HANT
from coach.i18n.catalogue import catalogue
from tests.browser.helpers import SHOTS, bot_card, login, send

# Pictographs that need an emoji font (this machine's chromium has none: they would be boxes).
NO_EMOJI_JS = r"() => !/[\u{1F000}-\u{1FAFF}\u{23F3}\u{26A1}]/u.test(document.body.innerText)"


def _get(port: int, path: str) -> Tuple[int, bytes, Message]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/coach/{path}") as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def test_strings_route_gives_every_key_localized_without_a_token(servers):
    status, body, headers = _get(servers.port, "strings?lang=zh-Hant")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert json.loads(body) == {"lang": HANT, "strings": catalogue(HANT)}
    assert json.loads(body)["strings"]["page_title"] == "異議應對教練"
    for bad in ("strings?lang=fr", "strings"):
        status, body, _ = _get(servers.port, bad)
        assert status == 400 and "zh-Hant" in json.loads(body)["error"]


@pytest.mark.parametrize("path", ["static/js/main.js", "static/js/render/registry.js", "static/style.css"])
def test_page_files_are_served_with_their_type(servers, path):
    status, _, headers = _get(servers.port, path)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css" if path.endswith(".css") else "text/javascript")


@pytest.mark.parametrize("path", [
    "static/..%2F..%2Fcredentials.yml", "static/js/..%2F..%2F..%2Fcredentials.yml",
    "static/js/%2E%2E/%2E%2E/%2E%2E/coach/server/channels/web.py",
    "static/index.html", "static/js/nothing.js", "static/.git/config",
])
def test_nothing_else_is_served_as_a_page_file(servers, path):
    assert _get(servers.port, path)[0] == 404


def test_traditional_labels_are_the_servers(page, servers):
    hant = catalogue(HANT)
    login(page, "web-hant", servers)
    page.click("#lang-zh-Hant")
    expect(bot_card(page, "language").last).to_be_visible()
    expect(page.locator("#app-title")).to_have_text(hant["page_title"])
    expect(page.locator("#composer-send")).to_have_text(hant["page_send"])
    expect(page.locator("#drills-button")).to_have_text(hant["page_drills"])
    expect(page.locator("#progress-button")).to_have_text(hant["button_progress"])
    expect(page.locator("#mode-indicator")).to_have_text(hant["page_mode_quick"])
    expect(page.locator("#composer-input")).to_have_attribute("placeholder", hant["page_placeholder_quick"])
    assert page.title() == hant["page_title"]
    page.click("#sign-out")
    expect(page.locator("#login-heading")).to_have_text(hant["page_signin_heading"])
    expect(page.locator("label[for=login-code]")).to_have_text(hant["page_signin_code"])


def test_strings_come_from_the_phones_copy_when_the_server_cannot_give_them(page):
    expect(page.locator("#login-submit")).to_have_text(catalogue(HANS)["page_login_submit"])
    page.route("**/strings?*", lambda route: route.abort())
    page.reload()
    expect(page.locator("#login-submit")).to_have_text(catalogue(HANS)["page_login_submit"])
    expect(page.locator("#login-heading")).to_have_text(catalogue(HANS)["page_signin_heading"])


def test_icons_are_inline_svg_and_no_emoji_is_left(page, servers):
    login(page, "web-icons", servers)
    indicator_icon = page.locator("#mode-indicator svg")
    expect(indicator_icon).to_have_count(1)
    send(page, "练习价格异议")
    expect(bot_card(page, "customer_line").last).to_be_visible()
    intro = bot_card(page, "drill_intro").last
    for icons in (indicator_icon, intro.locator(".kicker svg"), intro.locator(".stars svg")):
        expect(icons.first).to_be_visible()
        assert icons.first.evaluate("n => n.namespaceURI") == "http://www.w3.org/2000/svg"
        assert icons.first.evaluate("n => n.getBoundingClientRect().width") > 8
    send(page, "理解，进货价格谁都要算清楚。您是跟哪家比的？")
    expect(bot_card(page, "drill_feedback").last.locator(".feedback-head svg")).to_be_visible()
    page.click("#stop-drill")
    page.get_by_role("button", name="结束并评分").click()  # a stop asks once
    expect(bot_card(page, "scorecard").last.locator(".badge svg")).to_be_visible()
    assert page.evaluate(NO_EMOJI_JS)
    page.screenshot(path=str(SHOTS / "7-icons.png"))
