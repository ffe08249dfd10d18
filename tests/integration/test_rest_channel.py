"""End to end over the REST channel: the real servers, started with the project's own script.

Checks what fixtures cannot: the NLU's text_original reaches the actions, so replies follow the
rep's script; every objection is answered in all three languages.
"""
from __future__ import annotations

import pytest

from coach.content.playbook import load_playbook
from tests.conftest import payload as _payload
from tests.conftest import post as _post

# Fresh wording (not in data/nlu or the held-out set): one line per objection and language.
QUESTIONS = {
    "objection_price": ("老板嫌我们的价格太贵了", "老闆嫌我們的價格太貴了",
                        "the owner thinks our price is far too high"),
    "objection_policy": ("他说我们公司的政策太死板，不灵活", "他說我們公司的政策太死板，不靈活",
                         "he complains our company policy is inflexible"),
    "objection_exclusivity": ("老板要做我们的独家总代理", "老闆要做我們的獨家總代理",
                              "the owner demands exclusive distribution rights"),
    "objection_bad_market": ("客户说现在市场不景气，生意难做", "客戶說現在市場不景氣，生意難做",
                             "customer says the market is bad at the moment, come back later"),
    "objection_consignment": ("他要我们先铺货，卖完再结款", "他要我們先鋪貨，賣完再結款",
                              "he wants goods on credit and will pay after selling them"),
    "objection_no_money": ("老板说没有资金了，不想再加厂家", "老闆說沒有資金了，不想再加廠家",
                           "the boss says he has no funds for a new supplier"),
    "objection_supplier_relationship": ("他跟现在的厂家感情很好，不考虑别家",
                                        "他跟現在的廠家感情很好，不考慮別家",
                                        "he has a great relationship with his current manufacturer"),
    "objection_existing_contract": ("客户跟现有厂家签了合同，要等合同到期",
                                    "客戶跟現有廠家簽了合同，要等合同到期",
                                    "customer has signed a contract with his current supplier "
                                    "until next year"),
    "objection_past_failure": ("老板说以前卖过你们的产品，没卖成功", "老闆說以前賣過你們的產品，沒賣成功",
                               "the store sold our product before and it flopped"),
}
LANGS = ("zh-Hans", "zh-Hant", "en")


@pytest.mark.parametrize("intent", list(QUESTIONS))
def test_every_objection_answered_in_each_language(coach, intent):
    playbook = load_playbook()
    objection = playbook.for_intent(intent)
    for lang, question in zip(LANGS, QUESTIONS[intent], strict=True):
        replies = _post(coach, f"rest-{intent}-{lang}", question)
        card = _payload(replies, "objection_card")
        assert card["objection"] == objection.id, f"{lang} {question!r} recognised as {card['objection']}"
        assert card["lang"] == lang, f"{question!r} answered in {card['lang']}"
        text = next(r["text"] for r in replies if r.get("text"))
        assert card["title"] in text
        buttons = next(r["buttons"] for r in replies if r.get("buttons"))
        assert buttons[0]["payload"] == card["branches"][0]["payload"]


def test_branch_button_and_more_follow_the_conversation(coach):
    sender = "rest-branch"
    _post(coach, sender, "老闆說你們價格太高了")
    strategy = _payload(_post(coach, sender, '/choose_branch{"branch": "price.higher.margin"}'), "strategy")
    assert strategy["branch"] == "price.higher.margin"
    assert strategy["lang"] == "zh-Hant", "a button payload keeps the script the rep was using"
    assert _payload(_post(coach, sender, "/more_detail"), "objection_detail")["objection"] == "price"


def test_explicit_language_switch_sticks(coach):
    sender = "rest-switch"
    _post(coach, sender, "请用英文回答")
    assert _payload(_post(coach, sender, "老板说你们价格太高了"), "objection_card")["lang"] == "en"


def test_out_of_scope_gets_a_redirect_not_a_strategy(coach):
    replies = _post(coach, "rest-oos", "明天天气怎么样")
    kinds = {r["custom"]["type"] for r in replies if r.get("custom")}
    assert kinds == {"objection_menu"}


# Over the 2,000-character limit is a 413 (tests/integration/test_hostile_input.py); at the limit, a reply.
@pytest.mark.parametrize("message", ["x" * 2000, "<script>alert(1)</script>", "\u200f\u200d😀",
                                     '/choose_branch{"branch": "../../etc/passwd"}'])
def test_hostile_messages_get_a_reply_not_a_crash(coach, message):
    replies = _post(coach, "rest-hostile", message)
    assert replies and all("Traceback" not in (r.get("text") or "") for r in replies)
