"""The chat page in a real browser (fixtures: tests/browser/conftest.py)."""
from __future__ import annotations

from playwright.sync_api import Page, expect

from coach.i18n import HANS
from coach.i18n.catalogue import catalogue
from tests.browser.helpers import SHOTS, bot_card, login, send
from tests.integration.test_sign_in import invite


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_price_objection_then_a_branch_chip(page, servers):
    login(page, "web-price", servers)
    send(page, "老板说你们的价格太贵了")
    card = bot_card(page, "objection_card").last
    expect(card).to_contain_text("价格太高")
    page.screenshot(path=str(SHOTS / "1-price-card.png"))
    card.locator("button.chip", has_text="我们确实更贵").click()
    strategy = bot_card(page, "strategy").last
    expect(strategy).to_contain_text("策略")
    # The chip's title, not its payload.
    expect(page.locator("#messages .msg-user").last).to_have_text("我们确实更贵")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SHOTS / "1-price-strategy.png"))


def test_switch_to_english_and_ask_about_a_contract(page, servers):
    login(page, "web-english", servers)
    page.click("#lang-en")
    expect(bot_card(page, "language").last).to_contain_text("English")
    send(page, "the customer says he signed a contract with his current supplier until next year")
    expect(bot_card(page, "objection_card").last).to_contain_text("contract")
    expect(page.locator("#lang-en")).to_have_attribute("aria-pressed", "true")
    page.screenshot(path=str(SHOTS / "2-english-contract.png"))


def test_drill_two_answers_feedback_stop_and_scorecard(page, servers):
    login(page, "web-drill", servers)
    send(page, "练习价格异议")
    expect(bot_card(page, "customer_line").last).to_be_visible()
    expect(page.locator("#mode-indicator")).to_have_attribute("data-mode", "drill")
    send(page, "理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？")
    expect(bot_card(page, "drill_feedback")).to_have_count(1)
    send(page, "您主要是担心顾客不接受，还是担心利润不够？")
    expect(bot_card(page, "drill_feedback")).to_have_count(2)
    expect(bot_card(page, "drill_feedback").first).to_contain_text("认同")
    page.screenshot(path=str(SHOTS / "3-drill-feedback.png"))
    page.click("#stop-drill")
    page.get_by_role("button", name="结束并评分").click()  # a stop asks once
    scorecard = bot_card(page, "scorecard").last
    expect(scorecard).to_be_visible()
    expect(scorecard).to_contain_text("未通过")
    expect(page.locator("#mode-indicator")).to_have_attribute("data-mode", "quick")
    scorecard.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "3-drill-scorecard.png"))
    page.click("#progress-button")
    expect(bot_card(page, "progress").last).to_contain_text("价格")
    page.screenshot(path=str(SHOTS / "3-progress.png"))


def test_reload_keeps_the_conversation(page, servers):
    login(page, "web-reload", servers)
    send(page, "老板说要做我们的独家代理")
    expect(bot_card(page, "objection_card").last).to_be_visible()
    before = page.locator("#messages .msg").count()
    page.reload()
    expect(bot_card(page, "objection_card").last).to_contain_text("独家")
    assert page.locator("#messages .msg").count() == before
    expect(page.locator("#composer-input")).to_be_visible()  # no second login
    page.screenshot(path=str(SHOTS / "4-after-reload.png"))


def test_html_in_a_message_is_shown_as_text(page, servers):
    login(page, "web-<b>xss</b>", servers)
    hostile = "<img src=x onerror=alert(1)>"
    send(page, hostile)
    expect(page.locator("#messages .msg-user").last).to_have_text(hostile)
    expect(page.locator("#messages .msg-bot").last).to_be_visible()
    send(page, "<script>alert(2)</script>")
    expect(page.locator("#messages .msg-user").last).to_have_text("<script>alert(2)</script>")
    page.wait_for_timeout(300)
    assert page.locator("#messages img").count() == 0 and page.locator("#messages script").count() == 0
    assert page.dialogs == []
    page.screenshot(path=str(SHOTS / "5-html-as-text.png"))


def test_offline_messages_wait_and_are_sent_when_back(page, servers):
    login(page, "web-offline", servers)
    page.context.set_offline(True)
    send(page, "老板说市场不景气")
    expect(page.locator("#connection-banner")).to_have_attribute("data-state", "offline")
    expect(page.locator("#messages .msg-user.pending")).to_have_count(1)
    page.screenshot(path=str(SHOTS / "6-offline.png"))
    page.context.set_offline(False)
    expect(bot_card(page, "objection_card").last).to_be_visible(timeout=15000)
    expect(page.locator("#messages .msg-user.pending")).to_have_count(0)
    expect(page.locator("#connection-banner")).to_be_hidden()


def test_keyboard_and_labels(page, servers):
    login(page, "web-a11y", servers)
    labelled = page.locator("label[for=composer-input]").count() == 1
    assert labelled or page.get_attribute("#composer-input", "aria-label")
    page.focus("#composer-input")
    page.keyboard.type("help")
    page.keyboard.press("Enter")
    expect(page.locator("#messages .msg-bot").last).to_be_visible()
    chips = page.locator("#messages button.chip")
    expect(chips.first).to_be_visible()
    assert chips.first.evaluate("el => el.getBoundingClientRect().height") >= 40  # a thumb-sized target
    assert page.locator("#messages").get_attribute("role") == "log"


CONTRAST_JS = """
(selector) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const bg = getComputedStyle(el).backgroundColor;
      const parts = bg.match(/[\\d.]+/g);
      if (parts && (parts.length < 4 || Number(parts[3]) > 0.5)) return bg;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll(selector)].filter(el => el.offsetParent && el.textContent.trim())
    .map(el => { const a = lum(getComputedStyle(el).color), b = lum(background(el));
                 return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); });
}
"""


def test_text_contrast_meets_wcag_aa(page, servers):
    login(page, "web-contrast", servers)
    send(page, "练习价格异议")
    expect(bot_card(page, "customer_line").last).to_be_visible()
    send(page, "理解您，您是跟哪家比的？")
    expect(bot_card(page, "drill_feedback")).to_have_count(1)
    ratios = page.evaluate(CONTRAST_JS, "#messages p, #messages li, #messages button.chip, header button, "
                                        "#messages .msg-user, #composer-send")
    assert ratios and min(ratios) >= 4.5, sorted(ratios)[:5]


def test_a_drill_whose_file_is_removed_ends_drill_mode(page, servers):
    import time

    source = (servers.drills_dir / "price_margin.yml").read_text(encoding="utf-8")
    path = servers.drills_dir / "web_gone.yml"
    renamed = source.replace("id: price_margin", "id: web_gone").replace("difficulty: 1", "difficulty: 3")
    path.write_text(renamed,
                    encoding="utf-8")
    try:
        time.sleep(1.5)  # the drill library re-checks the folder at most once a second
        login(page, "web-gone", servers)
        send(page, '/start_drill{"drill_id": "web_gone"}')
        expect(page.locator("#mode-indicator")).to_have_attribute("data-mode", "drill")
    finally:
        path.unlink()
    time.sleep(1.5)
    send(page, "理解您")
    expect(bot_card(page, "drill_end").last).to_be_visible()
    expect(page.locator("#mode-indicator")).to_have_attribute("data-mode", "quick")


def test_switching_to_english_mid_drill_switches_customer_feedback_and_scorecard(page, servers):
    login(page, "web-drill-lang", servers)
    send(page, "练习价格异议")
    expect(bot_card(page, "customer_line").last).to_be_visible()
    send(page, "理解，进货价格谁都要算清楚。您是跟哪家、哪个规格比的？")
    expect(bot_card(page, "drill_feedback")).to_have_count(1)
    expect(bot_card(page, "drill_feedback").last).to_have_attribute("lang", "zh-Hans")
    page.click("#lang-en")  # a language button mid-drill is not a turn
    expect(page.locator("#lang-en")).to_have_attribute("aria-pressed", "true")
    send(page, "What worries you more: that shoppers won't pay this price, or that your margin is too thin?")
    expect(bot_card(page, "drill_feedback")).to_have_count(2)
    expect(bot_card(page, "drill_feedback").last).to_have_attribute("lang", "en")
    expect(bot_card(page, "customer_line").last).to_have_attribute("lang", "en")
    page.click("#stop-drill")
    page.get_by_role("button", name="End and score").click()
    scorecard = bot_card(page, "scorecard").last
    expect(scorecard).to_have_attribute("lang", "en")
    expect(scorecard).to_contain_text("Score")


# --- signing in: a person's own code, typed or from the trainer's link ---------------------------------

def test_the_sign_in_form_asks_for_a_code_only_and_says_what_is_wrong(page, servers):
    expect(page.locator("#login-code")).to_have_value("")  # nothing pre-filled
    assert page.locator("#login-view input").count() == 1
    page.fill("#login-code", "coach-local")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text(catalogue(HANS)["page_err_code_format"])
    page.fill("#login-code", "rep-abc234.abcdefghjkmnpqrstu")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text(catalogue(HANS)["page_err_code_wrong"])
    expect(page.locator("#chat-view")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "8-sign-in-refused.png"))


def test_a_sign_in_link_signs_in_and_leaves_no_code_in_the_address(page, servers):
    person, code = invite(servers, "web-link 李")
    page.goto("about:blank")
    page.goto(f"http://localhost:{servers.port}/webhooks/coach/#code={code}")
    expect(page.locator("#composer-input")).to_be_visible()
    expect(page.locator("#whoami-name")).to_have_text("web-link 李")
    assert page.evaluate("location.href") == f"http://localhost:{servers.port}/webhooks/coach/"
    assert code not in page.evaluate("document.documentElement.outerHTML")
    assert page.input_value("#login-code") == ""
    expect(page.locator("#desk-link")).to_be_hidden()  # a rep has no desk
    stored = page.evaluate("JSON.parse(localStorage.getItem('coach.auth'))")
    assert stored["sender"] == person.person_id and "code" not in stored


def test_signing_out_forgets_the_person_and_their_conversation_on_this_phone(page, servers):
    login(page, "web-sign-out", servers)
    send(page, "老板说你们的价格太贵了")
    expect(bot_card(page, "objection_card").last).to_be_visible()
    page.click("#sign-out")
    expect(page.locator("#login-view")).to_be_visible()
    expect(page.locator("#login-code")).to_have_value("")
    kept = "Object.keys(localStorage).filter(k => k.startsWith('coach.log.') || k === 'coach.auth')"
    assert page.evaluate(kept) == []
    page.reload()
    expect(page.locator("#login-view")).to_be_visible()  # still signed out after a reload
    login(page, "web-sign-out-next", servers)
    expect(page.locator("#messages .msg-user")).to_have_count(0)  # the next person sees nothing of it


def test_a_trainer_sees_the_way_to_the_desk(page, servers):
    login(page, "web-trainer", servers, role="trainer")
    desk = page.locator("#desk-link")
    expect(desk).to_be_visible()
    expect(desk).to_have_text(catalogue(HANS)["page_desk_link"])
    assert desk.evaluate("a => a.href") == f"http://localhost:{servers.port}/webhooks/coach/desk"
