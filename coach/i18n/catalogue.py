"""Every interface string in one language, for the chat page (GET /webhooks/coach/strings)."""
from __future__ import annotations

from typing import Dict

from coach.i18n import LANGUAGES, _catalogue, localize


def catalogue(lang: str) -> Dict[str, str]:
    """Each ui.yml key localized as ui() does (zh-Hant by OpenCC), placeholders left unfilled."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return {key: localize(text, lang) for key, text in _catalogue().items()}
