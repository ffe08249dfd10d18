"""A drill follows the rep to another phone, and a first button answers in the page's language.

Each `phone_page` is a fresh browser context: its own storage, as a second device would have.
"""
from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from tests.browser.conftest import phone_page
from tests.browser.helpers import SHOTS, bot_card, login, send, sign_in_with
from tests.integration.test_sign_in import invite


def api_login(page: Page, servers, name: str) -> dict:
    """Sign in as the page does, without the page: {"token", "sender", "name", "role", "team"}."""
    _, code = invite(servers, name)
    res = page.request.post(f"http://localhost:{servers.port}/webhooks/coach/login", data={"code": code})
    assert res.ok, res.text()
    return res.json()


def start_drill_with_one_reply(page: Page, rep: str, servers) -> tuple:
    """Start the price drill and answer once: the rep's sign-in code and the customer's last line."""
    code = login(page, rep, servers)
    send(page, "练习价格异议")
    expect(bot_card(page, "customer_line")).to_have_count(1)
    send(page, "理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？")
    expect(bot_card(page, "customer_line")).to_have_count(2)
    return code, bot_card(page, "customer_line").last.locator(".say").inner_text()


def test_a_drill_started_on_one_phone_is_shown_and_goes_on_on_another(browser, servers, page):
    code, last_line = start_drill_with_one_reply(page, "web-two-phones", servers)
    persona = bot_card(page, "customer_line").last.locator(".customer-name").inner_text()
    with phone_page(browser, servers) as other:
        sign_in_with(other, code)  # the same rep, once on this phone too
        resume = bot_card(other, "drill_resume")
        expect(resume).to_have_count(1)
        expect(resume).to_contain_text(persona)
        expect(resume.locator(".say")).to_have_text(last_line)
        expect(other.locator("#mode-indicator")).to_have_attribute("data-mode", "drill")
        expect(other.locator("#composer-input")).to_be_disabled()  # nothing typed now is taken for a turn
        other.screenshot(path=str(SHOTS / "7-drill-resume.png"))
        resume.locator(".chip-resume-go").click()
        expect(other.locator("#composer-input")).to_be_enabled()
        expect(resume.locator(".chip")).to_have_count(0)
        send(other, "您主要是担心顾客不接受，还是担心利润不够？")
        expect(bot_card(other, "drill_feedback").last).to_contain_text("第 2 轮")
        expect(bot_card(other, "customer_line")).to_have_count(1)
        newest = bot_card(other, "customer_line").last.locator(".say").inner_text()
        other.reload()  # in step with the coach now: no second card
        expect(bot_card(other, "customer_line")).to_have_count(1)
        other.wait_for_timeout(500)
        expect(bot_card(other, "drill_resume")).to_have_count(1)
    page.reload()  # the first phone is a turn behind: it shows the drill as it is now
    expect(bot_card(page, "drill_resume")).to_have_count(1)
    expect(bot_card(page, "drill_resume").locator(".say")).to_have_text(newest)


def test_ending_a_drill_found_on_another_phone_sends_stop(browser, servers, page):
    code, _ = start_drill_with_one_reply(page, "web-two-phones-end", servers)
    with phone_page(browser, servers) as other:
        sign_in_with(other, code)
        resume = bot_card(other, "drill_resume")
        resume.locator(".chip-resume-end").click()
        expect(other.locator("#messages .msg-user").last).to_have_text("结束练习")
        expect(other.locator("#messages .msg-bot").last).not_to_have_attribute("data-type", "drill_resume")
        expect(resume.locator(".chip")).to_have_count(0)
        expect(other.locator("#composer-input")).to_be_enabled()


def test_a_drill_ended_elsewhere_takes_the_page_back_to_quick_mode(browser, servers, page):
    code, _ = start_drill_with_one_reply(page, "web-ended-elsewhere", servers)
    with phone_page(browser, servers) as other:
        sign_in_with(other, code)
        bot_card(other, "drill_resume").locator(".chip-resume-end").click()
        expect(other.locator("#messages .msg-user")).to_have_count(1)
        expect(other.locator("#messages .msg-user.pending, #messages .msg-user.sending")).to_have_count(0)
    page.reload()
    expect(page.locator("#mode-indicator")).to_have_attribute("data-mode", "quick")
    expect(bot_card(page, "drill_closed")).to_have_count(1)


def test_a_drill_button_as_the_first_message_on_an_english_page_answers_in_english(servers, page):
    """Signed in on this phone before (no language switch sent), the page set to English."""
    auth = api_login(page, servers, "web-first-button-en")
    page.evaluate("([auth, lang]) => { localStorage.setItem('coach.auth', auth); "
                  "localStorage.setItem('coach.lang', lang); }", [json.dumps(auth), json.dumps("en")])
    page.reload()
    expect(page.locator("#composer-input")).to_be_enabled()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    send(page, '/start_drill{"drill_id": "price_margin"}')  # what the drill list's button sends
    intro = bot_card(page, "drill_intro")
    expect(intro).to_have_attribute("lang", "en")
    expect(intro).to_contain_text("Goal")
    expect(bot_card(page, "customer_line")).to_have_attribute("lang", "en")
    assert page.locator("#messages .msg-user").count() == 1


def test_the_state_route_needs_the_reps_token(servers, page):
    base = f"http://localhost:{servers.port}/webhooks/coach"
    refused = page.request.get(f"{base}/state")
    assert refused.status == 401 and "sign in" in refused.json()["error"]
    token = api_login(page, servers, "web-state-new")["token"]
    fresh = page.request.get(f"{base}/state?lang=en", headers={"Authorization": f"Bearer {token}"})
    assert fresh.status == 200 and fresh.json() == {"drill": None}
    foreign = page.request.get(f"{base}/state", headers={"Authorization": f"Bearer {token}",
                                                         "Origin": "https://elsewhere.example"})
    assert foreign.status == 403
