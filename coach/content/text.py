"""Bilingual text as the content files write it: {"zh": ..., "en": ...}.

The type lives in coach.i18n (a lower layer, which localises it); this module builds it from YAML.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from coach.i18n.text import Text

__all__ = ["Text", "text"]


def _part(node: Mapping[str, Any], key: str) -> Optional[str]:
    if key not in node:
        return None
    value = node[key]
    if not isinstance(value, str):
        raise ValueError(f"text {key!r} must be a string, not {value!r}")
    return value.strip()


def text(node: Mapping[str, Any]) -> Text:
    """A Text from a YAML mapping: the zh/en strings it has, stripped; other keys are ignored.

    The schema has already checked the node, so a ValueError here means code built a Text from
    something that is not content.
    """
    zh, en = _part(node, "zh"), _part(node, "en")
    built = Text()
    if zh is not None:
        built["zh"] = zh
    if en is not None:
        built["en"] = en
    if not built:
        raise ValueError(f"text needs 'zh' or 'en', got keys {sorted(node)}")
    return built
