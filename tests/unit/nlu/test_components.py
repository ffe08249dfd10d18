"""The custom NLU components, run directly on Message objects (no training)."""
from __future__ import annotations

import spacy
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from coach.nlp.tokens import load_user_dictionary
from coach.nlu.jieba_tokenizer import WhitespaceSafeJiebaTokenizer
from coach.nlu.normalizer import ORIGINAL_TEXT, ScriptNormalizer
from coach.settings import PROJECT_ROOT, SPACY_MODEL

MIXED = "老板说price too high, 要铺货"


def _tokenizer(cls):
    return cls(cls.get_default_config(), None, None)


def test_normalizer_maps_traditional_and_keeps_the_original():
    message = Message({TEXT: "老闆說價格太貴，要鋪貨"})
    ScriptNormalizer().process([message])
    assert message.get(TEXT) == "老板说价格太贵,要铺货"  # NFKC also folds the full-width comma
    assert message.get(ORIGINAL_TEXT) == "老闆說價格太貴，要鋪貨"
    assert ORIGINAL_TEXT in message.output_properties, \
        "actions need the original to reply in the rep's script"


def test_normalizer_leaves_simplified_untouched():
    message = Message({TEXT: "老板说价格太贵"})
    ScriptNormalizer().process([message])
    assert message.get(TEXT) == "老板说价格太贵" and message.get(ORIGINAL_TEXT) is None


def test_stock_jieba_tokenizer_emits_whitespace_tokens():
    # The Rasa bug being worked around; if this ever fails, the workaround can go.
    tokens = _tokenizer(JiebaTokenizer).tokenize(Message({TEXT: MIXED}), TEXT)
    assert any(not t.text.strip() for t in tokens)


def test_whitespace_safe_jieba_tokenizer_has_no_whitespace_tokens_and_keeps_offsets():
    tokens = _tokenizer(WhitespaceSafeJiebaTokenizer).tokenize(Message({TEXT: MIXED}), TEXT)
    assert tokens and all(t.text.strip() for t in tokens)
    assert all(MIXED[t.start:t.end] == t.text for t in tokens)
    assert [t.text for t in tokens if t.text.isascii() and t.text.isalpha()] == ["price", "too", "high"]


def test_spacy_pipeline_segments_sales_terms_with_the_user_dictionary():
    nlp = spacy.load(SPACY_MODEL)
    load_user_dictionary(PROJECT_ROOT / "data" / "lexicon" / "sales_terms.txt")
    words = [t.text for t in nlp("客户要求铺货，我们是现款现货")]
    assert "铺货" in words and "现款现货" in words
