"""JiebaTokenizer without whitespace tokens.

rasa 3.6's JiebaTokenizer keeps the spaces jieba emits between Latin words ("price too high"),
while featurizers drop them, which breaks mixed zh/en messages (a known Rasa bug; the unit test
test_stock_jieba_tokenizer_emits_whitespace_tokens tells when it is fixed).
"""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=True)
class WhitespaceSafeJiebaTokenizer(JiebaTokenizer):
    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        return [t for t in super().tokenize(message, attribute) if t.text.strip()]
